"""What the services offer to people and integrators: every command and query with its API
resource, derived from the services' declarations (rulebooks and query specs), never written
twice. The HTTP API and its OpenAPI document are built from this."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from pydantic import BaseModel
from wvggz_contracts.commands import Rol

from kernel.acties import actions_spec
from kernel.queries import QuerySpec
from kernel.service import ServiceDefinition, dossier_rulebooks


@dataclass(frozen=True, slots=True)
class CommandRoute:
    """One command as the API offers it: `POST /api/v1/<resource>[/{<item>}]/<name>`."""

    service: str
    name: str
    description: str
    payload: type[BaseModel]
    rollen: frozenset[Rol]
    resource: str
    item: str | None
    """The path parameter naming the case, or None for a command on the collection (one that
    opens a case, or a case the API cannot address, such as a gemeente's mandate register)."""
    opent: bool = False
    """It starts a new case (HTTP 201 Created)."""
    dossier: bool = False
    """Its collection has a dossier query, so a new case can be found at `Location`."""


@dataclass(frozen=True, slots=True)
class QueryRoute:
    """One query as the API offers it: `GET /api/v1/<resource>[/{<item>}]`."""

    service: str
    spec: QuerySpec


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every command and query of the platform's services."""

    commands: tuple[CommandRoute, ...]
    queries: tuple[QueryRoute, ...]

    @property
    def resources(self) -> list[str]:
        """The API collections, in the order the services declare them."""
        found = [q.spec.resource for q in self.queries] + [c.resource for c in self.commands]
        return list(dict.fromkeys(found))


def catalog_of(definitions: Iterable[ServiceDefinition[Any]]) -> Catalog:
    """The catalog of these services, from their declarations under default settings."""
    commands: list[CommandRoute] = []
    queries: list[QueryRoute] = []
    with TemporaryDirectory() as scratch:
        for definition in definitions:
            settings = definition.settings.model_construct(data_dir=Path(scratch))
            items = {resource: q.item for resource, q in definition.dossiers().items()}
            queries += [
                QueryRoute(definition.name, spec) for spec in definition.alle_queries if spec.api
            ]
            queries += [
                QueryRoute(definition.name, actions_spec(rulebook, dossier))
                for rulebook, dossier in dossier_rulebooks(definition, settings)
            ]
            for rulebook in definition.alle_rulebooks(settings):
                item = items.get(rulebook.resource)
                commands += [
                    CommandRoute(
                        service=definition.name,
                        name=rule.name,
                        description=rule.spec.description,
                        payload=rule.payload,
                        rollen=rule.rollen,
                        resource=rulebook.resource,
                        item=None if rule.opent else item,
                        opent=rule.opent,
                        dossier=item is not None,
                    )
                    for rule in rulebook.rules
                    if not rule.rollen <= {Rol.SYSTEEM}  # the platform's own: no token reaches it
                ]
    catalog = Catalog(tuple(commands), tuple(queries))
    _check_unique(catalog)
    return catalog


def _check_unique(catalog: Catalog) -> None:
    paths = [(c.resource, c.item is not None, c.name) for c in catalog.commands]
    paths += [(q.spec.resource, q.spec.item is not None, q.spec.sub or "") for q in catalog.queries]
    doubles = {path for path in paths if paths.count(path) > 1}
    if doubles:
        raise ValueError(f"two API routes on the same path: {sorted(doubles)}")
