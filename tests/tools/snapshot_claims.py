"""Snapshot every claim and every Quantity of data/ into tests/fixtures/claims-before-estimates.json.

Run once, before the flows-and-estimates re-model (issue 14), from the repository root:

    .venv/bin/python tests/tools/snapshot_claims.py

The fixture is the "nothing lost" baseline: tests/unit/test_nothing_lost.py checks that every claim and quote
in it is still in data/ (ids may change only through that test's explicit map), and that every number and date
of every old Quantity is still on some Estimate or Quantity. Do not regenerate it after the re-model: it records
main's data as it was before (commit noted in the file).
"""

import json
import subprocess
from pathlib import Path

from rdflib import RDF, Graph, Literal, Namespace, URIRef

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fixtures" / "claims-before-estimates.json"
RDKG = Namespace("https://w3id.org/rdkg/ontology#")
ID = "https://w3id.org/rdkg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
DATE_TYPES = {XSD + t for t in ("date", "gYear", "gYearMonth", "dateTime")}


def short(node: URIRef) -> str:
    return str(node).removeprefix(ID)


def load_data(root: Path = ROOT) -> Graph:
    graph = Graph()
    for path in sorted((root / "data").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def literal_value(lit: Literal) -> str:
    return str(lit)


def dates_of(graph: Graph, node: URIRef) -> list[str]:
    return sorted({str(o) for _, o in graph.predicate_objects(node)
                   if isinstance(o, Literal) and o.datatype is not None and str(o.datatype) in DATE_TYPES})


def numbers_of(graph: Graph, node: URIRef) -> dict[str, str]:
    return {p: str(graph.value(node, RDKG[p])) for p in ("min", "max") if graph.value(node, RDKG[p]) is not None}


def snapshot(graph: Graph) -> dict:
    claims = {}
    for claim in sorted(graph.subjects(RDF.type, RDKG.Claim)):
        quote = graph.value(claim, RDKG.quote)
        claims[short(claim)] = {
            "quote": str(quote) if quote is not None else None,
            "source": short(graph.value(claim, RDKG.source)),
            "stance": str(graph.value(claim, RDKG.stance)),
            "dates": dates_of(graph, claim),
        }
    quantities = {}
    for qty in sorted(graph.subjects(RDF.type, RDKG.Quantity)):
        quantities[short(qty)] = {
            **numbers_of(graph, qty),
            "unit": str(graph.value(qty, RDKG.unit)),
            "dates": dates_of(graph, qty),
            "of": sorted(short(s) for s in graph.subjects(RDKG.hasQuantity, qty)),
        }
    transfer_types = [RDKG.Transfer, RDKG.MaterielTransfer, RDKG.TechnologyTransfer, RDKG.PersonnelDeployment,
                      RDKG.CommodityTransfer]
    transfers = sorted({short(t) for c in transfer_types for t in graph.subjects(RDF.type, c)})
    shipments = sorted(short(s) for s in graph.subjects(RDF.type, RDKG.Shipment))
    return {"claims": claims, "quantities": quantities, "transfers": transfers, "shipments": shipments}


def main() -> None:
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    data = {"about": "claims, quantities, transfer and shipment ids of data/ before the flows-and-estimates "
                     "re-model (issue 14); made by tests/tools/snapshot_claims.py",
            "commit": commit, **snapshot(load_data())}
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(data['claims'])} claims, {len(data['quantities'])} quantities, "
          f"{len(data['transfers'])} transfers, {len(data['shipments'])} shipments")


if __name__ == "__main__":
    main()
