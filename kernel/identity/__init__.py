"""Access tokens in, Actors out: OIDC token verification and the platform's view of a caller."""

from wvggz_contracts.commands import AUTHORIZATION_HEADER, GEMEENTE_HEADER, ROL_HEADER

from kernel.identity.claims import Identity, act_as, claim_at, identity_from_claims
from kernel.identity.errors import AuthenticationFailed, FailureReason, IssuerUnavailable
from kernel.identity.jwks import ASYMMETRIC_ALGORITHMS, KeySource, PublicKey, RemoteJwks, StaticJwks
from kernel.identity.tokens import TokenVerifier, bearer_token

__all__ = [
    "ASYMMETRIC_ALGORITHMS",
    "AUTHORIZATION_HEADER",
    "GEMEENTE_HEADER",
    "ROL_HEADER",
    "AuthenticationFailed",
    "FailureReason",
    "Identity",
    "IssuerUnavailable",
    "KeySource",
    "PublicKey",
    "RemoteJwks",
    "StaticJwks",
    "TokenVerifier",
    "act_as",
    "bearer_token",
    "claim_at",
    "identity_from_claims",
]
