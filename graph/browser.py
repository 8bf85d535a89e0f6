"""Neo4j Browser support: the project's graph style (GraSS) and its investigation guide.

- ``browser_conf(settings)``: the ``neo4j.conf`` entries that make Neo4j Browser apply the style and open the guide
  on connect (``browser.post_connect_cmd``) and allow it to fetch both from the API
  (``browser.remote_content_hostname_whitelist`` — the name Neo4j 5.26 and Browser 5.24 use; Browser compares
  *hostnames* only, so the port is not part of an entry).
- ``graph/browser/rdkg.grass`` (the style) and ``graph/browser/guide.toml`` (the guide's text and steps; the API
  renders it with the canned queries at request time, see ``api/browser_routes.py``).

docs/browser.md explains their use.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from graph.settings import Settings

BROWSER_DIR = Path(__file__).resolve().with_name("browser")
STYLE_FILE = BROWSER_DIR / "rdkg.grass"
GUIDE_FILE = BROWSER_DIR / "guide.toml"
STYLE_PATH = "/browser/style.grass"
GUIDE_PATH = "/browser/guide"
# Browser 5.24's own default allowlist, kept so its built-in remote guides still work.
DEFAULT_ALLOWED_HOSTS = ("guides.neo4j.com", "localhost")
#: Neo4j Browser sends no usage data or crash reports. (``browser.allow_outgoing_connections`` is Enterprise-only:
#: Community 5.26 refuses to start with it. The managed server's Browser is a patched copy that calls no other host:
#: graph/browser_jar.py.)
OFFLINE_CONF = {"client.allow_telemetry": "false"}


# -- neo4j.conf ---------------------------------------------------------------------------------------------------
def style_url(base_url: str) -> str:
    return base_url.rstrip("/") + STYLE_PATH


def guide_url(base_url: str) -> str:
    return base_url.rstrip("/") + GUIDE_PATH


def post_connect_cmd(base_url: str) -> str:
    """Browser runs each ``;``-separated command with a ``:`` put in front (so none is written here)."""
    return f"style {style_url(base_url)}; guide {guide_url(base_url)}"


def allowlist(base_url: str) -> str:
    """Hostnames Browser may fetch remote content (style, guides) from; Browser ignores ports here."""
    host = urlsplit(base_url).hostname or "127.0.0.1"
    hosts = [*DEFAULT_ALLOWED_HOSTS, host]
    return ",".join(dict.fromkeys(hosts))


def browser_conf(settings: Settings) -> dict[str, str]:
    """Extra ``neo4j.conf`` entries for Neo4j Browser (post-connect command, remote-content allowlist, offline);
    the API's address for a web browser is ``settings.browser_base_url`` (``RDKG_API_PUBLIC_URL``)."""
    base = settings.browser_base_url
    return {
        "browser.post_connect_cmd": post_connect_cmd(base),
        "browser.remote_content_hostname_whitelist": allowlist(base),
        # No usage data or crash reports; remote guides from the allowlist still load when the user asks for one.
        **OFFLINE_CONF,
    }


def style_text() -> str:
    return STYLE_FILE.read_text(encoding="utf-8")
