"""Settings from the environment (and a ``.env`` file in the working directory).

Read once by the CLI; nothing reads the environment at import time. A malformed
setting stops start-up with a message naming the setting and what it should look like.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from storage.db import DatabaseURLError, check_url, default_database_url

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


def is_loopback_host(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost: an address only this machine can reach."""
    import ipaddress

    host = (host or "").strip().strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped  # a dual-stack socket's peer, ::ffff:127.0.0.1
    return addr.is_loopback


def _flag(e: dict[str, str], name: str) -> bool:
    raw = e.get(name, "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ConfigError(f"{name} must be 1 or 0 (true or false), not {e.get(name)!r}")


class ConfigError(ValueError):
    """A setting is malformed; the message names it and says what would work."""


def load_dotenv_file(path: str | Path = ".env") -> None:
    """Load ``.env`` without overriding the real environment."""
    p = Path(path)
    if p.is_file():
        from dotenv import load_dotenv

        load_dotenv(p, override=False)


@dataclass(frozen=True)
class Settings:
    database_url: str
    host: str = "0.0.0.0"
    port: int = 3000
    slack_signing_secret: str = ""
    slack_bot_token: str = ""
    slack_api_url: str = "https://slack.com/api/"
    slack_client_id: str = ""
    slack_client_secret: str = ""
    slack_scopes: tuple[str, ...] = ()
    app_id: str = ""
    app_password: str = ""
    app_type: str = "MultiTenant"
    app_tenant_id: str = ""
    default_area: str = ""
    public_url: str = ""
    tick_seconds: float = 15.0
    teams_unauthenticated: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_signing_secret and (self.slack_bot_token or self.slack_oauth))

    @property
    def slack_oauth(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def teams_authenticated(self) -> bool:
        return bool(self.app_id)

    @property
    def teams_mode(self) -> str:
        """How ``POST /api/messages`` is protected: ``jwt`` (an app id is set: Bot Framework
        tokens), ``local`` (asked for with BOARDBOT_TEAMS_UNAUTHENTICATED=1 and listening on
        loopback only: no tokens, replies to loopback service URLs only) or ``off`` (every
        request 401). Never unauthenticated by default."""
        if self.app_id:
            return "jwt"
        if self.teams_unauthenticated and is_loopback_host(self.host):
            return "local"
        return "off"


def from_env(env: dict[str, str] | None = None) -> Settings:
    """Settings from ``env`` (default: the process environment). Raises ConfigError."""
    e = dict(os.environ if env is None else env)
    url = e.get("DATABASE_URL", "").strip() or default_database_url()
    try:
        check_url(url)
    except DatabaseURLError as exc:
        raise ConfigError(str(exc)) from None
    port_text = e.get("PORT", "3000").strip() or "3000"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(f"PORT must be a number from 1 to 65535, not {port_text!r}")
    token = e.get("SLACK_BOT_TOKEN", "").strip()
    if token and not token.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN must be a bot token starting with 'xoxb-' (Slack app > OAuth & Permissions)")
    secret = e.get("SLACK_SIGNING_SECRET", "").strip()
    if token and not secret:
        raise ConfigError("SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not (Slack app > Basic Information > Signing Secret)")
    client_id, client_secret = e.get("SLACK_CLIENT_ID", "").strip(), e.get("SLACK_CLIENT_SECRET", "").strip()
    if bool(client_id) != bool(client_secret):
        raise ConfigError("set both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for multi-workspace installs, or neither")
    if (client_id and not secret):
        raise ConfigError("SLACK_CLIENT_ID is set but SLACK_SIGNING_SECRET is not")
    if secret and not (token or client_id):
        raise ConfigError("SLACK_SIGNING_SECRET is set but neither SLACK_BOT_TOKEN nor SLACK_CLIENT_ID/SECRET is")
    api = e.get("SLACK_API_URL", "").strip() or "https://slack.com/api/"
    if not api.startswith(("http://", "https://")):
        raise ConfigError(f"SLACK_API_URL must be an http(s) URL, not {api!r}")
    if not api.endswith("/"):
        api += "/"
    app_type = e.get("MicrosoftAppType", "").strip() or "MultiTenant"
    if app_type not in ("MultiTenant", "SingleTenant", "UserAssignedMSI"):
        raise ConfigError("MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI")
    app_id = e.get("MicrosoftAppId", "").strip()
    app_password = e.get("MicrosoftAppPassword", "").strip()
    tenant = e.get("MicrosoftAppTenantId", "").strip()
    if app_id and app_type != "UserAssignedMSI" and not app_password:
        raise ConfigError("MicrosoftAppId is set but MicrosoftAppPassword is not")
    if app_type == "SingleTenant" and app_id and not tenant:
        raise ConfigError("MicrosoftAppType=SingleTenant needs MicrosoftAppTenantId")
    host = e.get("HOST", "0.0.0.0").strip() or "0.0.0.0"
    unauthenticated = _flag(e, "BOARDBOT_TEAMS_UNAUTHENTICATED")
    if unauthenticated and app_id:
        raise ConfigError("BOARDBOT_TEAMS_UNAUTHENTICATED=1 and MicrosoftAppId are both set: unset one "
                          "(with an app id every Teams request must carry a Bot Framework token)")
    if unauthenticated and not is_loopback_host(host):
        raise ConfigError(f"BOARDBOT_TEAMS_UNAUTHENTICATED=1 is for this machine only: it needs HOST=127.0.0.1 "
                          f"(or ::1, localhost), not {host!r}. To serve Teams from elsewhere set MicrosoftAppId "
                          "and MicrosoftAppPassword")
    tick = e.get("BOARDBOT_TICK_SECONDS", "15").strip() or "15"
    try:
        tick_s = float(tick)
    except ValueError:
        tick_s = float("nan")
    if not 0 < tick_s < float("inf"):
        raise ConfigError(f"BOARDBOT_TICK_SECONDS must be a positive number, not {tick!r}")
    scopes = tuple(s for s in e.get("SLACK_SCOPES", "commands,chat:write,app_mentions:read,im:history,users:read,channels:history,groups:history").split(",") if s)
    return Settings(
        database_url=url,
        host=host,
        port=int(port_text),
        slack_signing_secret=secret,
        slack_bot_token=token,
        slack_api_url=api,
        slack_client_id=client_id,
        slack_client_secret=client_secret,
        slack_scopes=scopes,
        app_id=app_id,
        app_password=app_password,
        app_type=app_type,
        app_tenant_id=tenant,
        default_area=e.get("BOARDBOT_AREA", "").strip(),
        public_url=e.get("BOARDBOT_PUBLIC_URL", "").strip().rstrip("/"),
        tick_seconds=tick_s,
        teams_unauthenticated=unauthenticated,
    )
