"""Build the labelling functions from the seeds; names are stable (configs and stats use them)."""

from __future__ import annotations

from .amounts import AmountPatterns, MoneyPattern, QuantityPattern
from .base import LabellingFunction
from .gpe import GpeFullName, GpeSeeds, GpeShortName, GpeVillage, left_walker
from .org import (
    OrgBrandSuffix,
    OrgCompanySuffix,
    OrgGovernmentBody,
    OrgInstitution,
    OrgKnownName,
    org_context_functions,
)
from .org_generic import OrgAbbreviationDefinition, OrgGovernmentDepartment, OrgShortAlias
from .park import ParkNamed, ParkSubarea
from .park_compound import ParkCompanyLed, ParkSeatedName
from .park_families import ParkFamilyNamed, ParkValley, ParkZone
from .product import ProductLexicon, ProductVocabulary, product_context_functions
from .product_frames import product_frame_functions
from .seeds import SeedData


def build_functions(seeds: SeedData) -> list[LabellingFunction]:
    """Every labelling function the seeds support, in a fixed order."""
    places = GpeSeeds(seeds)
    walker = left_walker(seeds)
    amounts = AmountPatterns(seeds["amounts"])
    vocab = ProductVocabulary(seeds)
    # The company functions also start a company's park name (park_company_led): one instance
    # each, so their word lists are built once.
    companies: list[LabellingFunction] = [
        OrgKnownName(seeds, places),
        OrgCompanySuffix(seeds, walker),
        OrgBrandSuffix(seeds, walker, places),
    ]
    functions: list[LabellingFunction] = [
        GpeFullName(places),
        GpeShortName(places),
        GpeVillage(places),
        *companies,
        OrgInstitution(seeds, walker, places),
        OrgGovernmentBody(seeds, places),
        *org_context_functions(seeds, walker),
        OrgAbbreviationDefinition(seeds, walker, places),
        OrgShortAlias(seeds, walker, places),
        OrgGovernmentDepartment(seeds, places),
        ParkNamed(seeds, walker, places),
        ParkSubarea(seeds, walker),
        ParkFamilyNamed(seeds, walker, places),
        ParkValley(seeds, places),
        ParkZone(seeds, walker, places),
        ParkSeatedName(seeds, walker, places),
        ParkCompanyLed(seeds, walker, companies),
        ProductLexicon(vocab),
        *product_context_functions(seeds, vocab, amounts),
        *product_frame_functions(seeds, vocab, amounts),
        MoneyPattern(amounts),
        QuantityPattern(amounts),
    ]
    names = [f.name for f in functions]
    if len(set(names)) != len(names):
        raise ValueError(f"labelling function names must be unique: {names}")
    return functions
