"""Per-committee settings with the published defaults of ../shared/RULES.md.

Each capability registers its keys here (DEFAULTS); a committee overrides them in Committee.config.
"""

DEFAULTS: dict[str, object] = {
    # organisation
    "directory_shows_employer": True,
}


def setting(committee, key: str):
    if key not in DEFAULTS:
        raise KeyError(key)
    if committee is not None and key in (committee.config or {}):
        return committee.config[key]
    return DEFAULTS[key]
