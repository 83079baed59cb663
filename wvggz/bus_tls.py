"""TLS for the bus: our own CA and the server certificate it signs for the nats-server."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from wvggz.bus_files import private_dir, write_private


@dataclass(frozen=True, slots=True)
class TlsFiles:
    """Our own CA and the server certificate it signed (PEM files)."""

    ca_file: Path
    cert_file: Path
    key_file: Path


CA_DAYS = 3650
SERVER_DAYS = 825
RENEW_WITHIN = timedelta(days=30)


def generate_tls(dir: Path, hosts: Sequence[str]) -> TlsFiles:
    """A CA and a server certificate for `hosts` (DNS names or IPs) it signed, in `dir`.

    Both are reused on later calls; the server certificate is issued again by the same CA when
    the host names change or it expires within 30 days.
    """
    if not hosts:
        raise ValueError("a server certificate needs at least one host name")
    private_dir(dir)
    files = TlsFiles(dir / "ca.pem", dir / "server-cert.pem", dir / "server-key.pem")
    ca_key_file = dir / "ca-key.pem"
    if not (files.ca_file.exists() and ca_key_file.exists()):
        ca_key = ec.generate_private_key(ec.SECP256R1())
        write_private(ca_key_file, _pem_key(ca_key))
        write_private(
            files.ca_file, _self_signed_ca(ca_key).public_bytes(serialization.Encoding.PEM)
        )
        files.cert_file.unlink(missing_ok=True)
    ca_cert = x509.load_pem_x509_certificate(files.ca_file.read_bytes())
    if _needs_server_cert(files, ca_cert, hosts):
        loaded = serialization.load_pem_private_key(ca_key_file.read_bytes(), password=None)
        if not isinstance(loaded, ec.EllipticCurvePrivateKey):
            raise ValueError(f"{ca_key_file} is not the EC key this module writes")
        server_key = ec.generate_private_key(ec.SECP256R1())
        certificate = _server_certificate(server_key, ca_cert, loaded, hosts)
        write_private(files.key_file, _pem_key(server_key))
        write_private(files.cert_file, certificate.public_bytes(serialization.Encoding.PEM))
    return files


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _self_signed_ca(key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Wvggz bus CA")])
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def _alternative_names(hosts: Sequence[str]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names


def _needs_server_cert(files: TlsFiles, ca: x509.Certificate, hosts: Sequence[str]) -> bool:
    if not (files.cert_file.exists() and files.key_file.exists()):
        return True
    current = x509.load_pem_x509_certificate(files.cert_file.read_bytes())
    names = current.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return (
        current.issuer != ca.subject
        or set(names) != set(_alternative_names(hosts))
        or current.not_valid_after_utc - datetime.now(UTC) < RENEW_WITHIN
    )


def _server_certificate(
    key: ec.EllipticCurvePrivateKey,
    ca: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    hosts: Sequence[str],
) -> x509.Certificate:
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=SERVER_DAYS))
        .add_extension(x509.SubjectAlternativeName(_alternative_names(hosts)), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
