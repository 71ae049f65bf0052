"""Member contributions: per organisation, what it owns and contributes across a series'
register (an action's owner organisation, each contributor's organisation). No Flask."""

from __future__ import annotations


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def organisations(entries: list[dict]) -> list[dict]:
    """Per organisation named in the register entries (any case and spacing, first spelling
    kept): ``{"name", "owns", "contributes", "actions": [{"id", "title", "status", "role",
    "event", "brings"}]}``, by the number of actions (most first), then by name. An action
    an organisation owns and contributes to counts once, as owned."""
    found: dict[str, dict] = {}
    for entry in entries:
        _note(found, entry, entry.get("owner_organisation"), "owner", None)
        for contributor in entry["contributors"]:
            _note(found, entry, contributor.get("organisation"), "contributor",
                  contributor.get("brings"))
    ordered = sorted(found.values(), key=lambda o: (-len(o["actions"]), o["name"].casefold()))
    for organisation in ordered:
        organisation["owns"] = sum(a["role"] == "owner" for a in organisation["actions"])
        organisation["contributes"] = len(organisation["actions"]) - organisation["owns"]
    return ordered


def _note(found: dict, entry: dict, name: str | None, role: str, brings: str | None) -> None:
    """Record that the organisation ``name`` has ``role`` in the entry's action."""
    if not name or not name.strip():
        return
    organisation = found.setdefault(_key(name), {"name": " ".join(name.split()),
                                                  "actions": []})
    for known in organisation["actions"]:
        if known["id"] == entry["id"]:
            if known["role"] == "contributor" and role == "contributor" and brings:
                known["brings"] = "; ".join(b for b in (known["brings"], brings) if b)
            return
    organisation["actions"].append({
        "id": entry["id"], "title": entry["title"], "status": entry["status"], "role": role,
        "event": entry["event"]["title"], "brings": brings})
