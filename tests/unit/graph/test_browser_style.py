"""The GraSS style (graph/browser/rdkg.grass) and the neo4j.conf entries that apply it (graph/browser.py).

The style is parsed the way Neo4j Browser 5.24 parses it (a port of its ``parseGrass``), so a declaration that
Browser would silently drop fails here; its selectors and captions are checked against the ontology's labels,
relationship types and property keys, so the style follows the graph's shape.
"""

from __future__ import annotations

import re

import pytest

from graph.browser import (
    STYLE_FILE,
    allowlist,
    browser_conf,
    post_connect_cmd,
    style_text,
)
from graph.contract import default_mapping
from graph.settings import Settings

SELECTOR = re.compile(r"^(node|relationship)(\.[A-Za-z_]\w*)*$")
HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
NODE_KEYS_ALWAYS = {"id", "uri", "name"}  # set by the loader on every node (docs/conventions.md)
DERIVED_KEYS = {"caption"}  # set by the loader on Transfer and Quantity nodes (loaders/captions.py)


def browser_parse_grass(text: str) -> dict[str, list[str]]:
    """Neo4j Browser 5.24 ``parseGrass`` (non-JSON branch), keeping each rule's raw declarations."""
    in_quote = in_rule = nested = False
    key, value = "", ""
    raw: dict[str, str] = {}
    for char in text:
        consumed = True
        if char == "{":
            if in_quote:
                consumed = False
            elif in_rule:
                nested = True
            else:
                in_rule = True
        elif char == "}":
            if in_quote:
                consumed = False
            elif nested:
                nested = False
            else:
                in_rule = False
                raw[key] = value
                key, value = "", ""
        elif char in "'\"":
            in_quote = not in_quote
        else:
            consumed = False
        if not consumed:
            if in_rule:
                value += char
            elif not char.isspace():
                key += char
    return {selector: [d for d in body.split(";") if d.strip()] for selector, body in raw.items()}


def rules() -> dict[str, dict[str, str]]:
    parsed = {}
    for selector, declarations in browser_parse_grass(style_text()).items():
        props = {}
        for declaration in declarations:
            parts = declaration.split(":")
            assert len(parts) == 2, f"{selector}: Browser drops {declaration.strip()!r} (one ':' per declaration)"
            props[parts[0].strip()] = parts[1].strip()
        parsed[selector] = props
    return parsed


def test_every_rule_has_a_valid_selector_and_no_comment_text() -> None:
    assert "/*" not in style_text() and "//" not in style_text(), "Browser's GraSS parser has no comments"
    for selector in rules():
        assert SELECTOR.match(selector), f"bad selector {selector!r}"


def test_selectors_name_labels_and_relationship_types_of_the_ontology() -> None:
    mapping = default_mapping()
    for selector in rules():
        tag, *classes = selector.split(".")
        known = mapping.labels if tag == "node" else mapping.relationship_types
        for name in classes:
            assert name in known, f"{selector}: {name!r} is not a {'label' if tag == 'node' else 'type'} of the graph"


def test_node_captions_use_names_or_existing_properties_never_uris() -> None:
    keys = {spec.key for spec in default_mapping().datatypes.values()} | NODE_KEYS_ALWAYS | DERIVED_KEYS
    for selector, props in rules().items():
        caption = props.get("caption")
        if caption is None or not selector.startswith("node"):
            continue
        for placeholder in PLACEHOLDER.findall(caption):
            assert placeholder in keys and placeholder != "uri", f"{selector}: caption uses {placeholder!r}"


def test_the_main_kinds_have_their_own_colour_and_size() -> None:
    style = rules()
    colours = {}
    for label in ("State", "PublicBody", "Organization", "MonitoringBody", "Person", "Transfer", "MaterielTransfer",
                  "TechnologyTransfer", "PersonnelDeployment", "CommodityTransfer", "Category", "Claim",
                  "SourceDocument", "Event", "Treaty", "Resolution"):
        props = style[f"node.{label}"]
        assert HEX.match(props["color"]), f"node.{label} colour {props['color']!r}"
        colours[label] = props["color"]
    assert len(set(colours.values())) >= len(colours) - 1  # Transfer and MaterielTransfer may share one
    assert style["node.State"]["diameter"] > style["node.Claim"]["diameter"]
    assert style["node.Rdkg"]["caption"] == "{name}"
    assert style["node.Transfer"]["caption"] == "{caption}"  # category · quantity


def test_specific_rules_come_after_general_ones() -> None:
    """Browser applies matching rules in file order, so a subclass rule must follow its superclass rule."""
    order = list(rules())
    for general, specific in (("node.Transfer", "node.MaterielTransfer"), ("node.Organization", "node.Coalition"),
                              ("node.Event", "node.Meeting"), ("node.Rdkg", "node.State"),
                              ("node.Agreement", "node.Treaty")):
        assert order.index(general) < order.index(specific)


def test_relationships_are_captioned_with_their_type() -> None:
    assert rules()["relationship"]["caption"] in {"<type>", "{type}"}


def test_post_connect_cmd_applies_the_style_then_opens_the_guide() -> None:
    command = post_connect_cmd("http://127.0.0.1:8000")
    assert [c.strip() for c in command.split(";")] == [
        "style http://127.0.0.1:8000/browser/style.grass",
        "guide http://127.0.0.1:8000/browser/guide",
    ]  # Browser puts the ':' in front of each command itself


def test_allowlist_holds_hostnames_because_browser_ignores_ports() -> None:
    hosts = allowlist("http://127.0.0.1:8011").split(",")
    assert "127.0.0.1" in hosts and "guides.neo4j.com" in hosts and "localhost" in hosts
    assert all(":" not in host for host in hosts)


def test_browser_conf_reads_the_api_public_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RDKG_API_PUBLIC_URL", "http://analyst.example.org:9000/")
    conf = browser_conf(Settings())
    assert set(conf) == {"browser.post_connect_cmd", "browser.remote_content_hostname_whitelist",
                         "client.allow_telemetry"}
    assert conf["client.allow_telemetry"] == "false"
    assert "http://analyst.example.org:9000/browser/guide" in conf["browser.post_connect_cmd"]
    assert "analyst.example.org" in conf["browser.remote_content_hostname_whitelist"].split(",")


def test_browser_conf_defaults_to_the_local_api_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RDKG_API_PUBLIC_URL", raising=False)
    monkeypatch.setenv("RDKG_API_PORT", "8123")
    assert Settings().browser_base_url == "http://127.0.0.1:8123"
    assert "http://127.0.0.1:8123/browser/style.grass" in browser_conf(Settings())["browser.post_connect_cmd"]


def test_style_file_is_the_one_served() -> None:
    assert STYLE_FILE.read_text(encoding="utf-8") == style_text()
