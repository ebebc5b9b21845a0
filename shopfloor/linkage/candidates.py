"""Candidate pairs between incoming records and the registry, found and ranked by splink.

splink is strong at blocking and at ranking a record's possible partners, weak at the final
same/different decision on near-duplicate factory names at one address (see docs/matching.md):
it ranks the true partner first for 45 of Open Supply Hub's 47 labelled matches, yet reaches
only F1 0.70 deciding them. So this module only proposes each incoming record's ``top_k``
best registry entries with splink's match weight; :mod:`shopfloor.linkage.engine` decides
with the learned pair scorer.

Names follow splink's own recipe for company names: tokenised, tokens weighted by how rare
they are in the registry, blocking on the rarest tokens (a typo in one of them still leaves
the other). Every name a facility is known by (Khmer script, abbreviations, spellings seen in
earlier uploads) is a registry row of its own, so "GTHS Xin Feng Jing" and ហ្គោលដិន ឡូតាស
find their facility through the name they were written as.

The same settings run on DuckDB (default, in-process) or Spark (``engine="spark"``: pyspark
local mode here, a cluster when the registry outgrows one machine; ``pip install
shopfloor[spark]``). A :class:`LinkConfig` describes a kind of record; ``FACILITY`` is the
default, ``PERSON`` (FEBRL's people) checks that the layer is general.
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from shopfloor.linkage.normalise import address_tokens, name_key
from shopfloor.linkage.records import RecordView

ENGINES = ("duckdb", "spark")

#: A name token seen on more registry rows than this is too common to block on alone
#: ("garment", "textile", "golden"): at 500,000 facilities a limit of 500 keeps the 50,000
#: rows of a list to about ten million compared pairs (2,000 gave 32 million).
MAX_BLOCK_FREQUENCY = 500
#: DuckDB's memory ceiling; beyond it, it spills to a temporary directory.
DUCKDB_MEMORY_LIMIT = "3GB"
#: Words of an address that say nothing about where it is.
_ADDRESS_NOISE = frozenset({
    "st", "street", "road", "rd", "no", "village", "phum", "commune", "sangkat", "khan",
    "district", "srok", "province", "city", "cambodia", "kingdom", "of", "the", "and",
    "national", "nr", "building", "plot", "lot", "house", "group", "khet", "krong", "phnom",
    "penh",
})
_SPLIT = re.compile(r"[\s\-/_.,&()]+")

#: Incoming records linked per DuckDB run (see :func:`candidate_pairs`).
CHUNK_SIZE = 10_000
#: Records turned into splink input dicts at a time on their way to Arrow.
_ARROW_BATCH = 20_000


@dataclass(frozen=True, slots=True)
class Candidate:
    """One proposed pair: an incoming record and a registry entity, scored by splink."""

    left_id: int
    right_id: int
    match_weight: float
    match_probability: float


@dataclass(frozen=True)
class LinkConfig:
    """How one kind of record is linked: its splink input rows and settings.

    ``rows(records, stats)`` turns records into splink input dicts (each with ``unique_id``
    and ``entity_id``: several rows may stand for one entity); ``stats`` is what
    ``prepare(registry)`` learned from the registry (token frequencies). ``settings()``
    returns the keyword arguments of splink's ``SettingsCreator``. ``train`` lists the
    blocking rules for expectation maximisation, or is empty when the m and u probabilities
    are fixed in the comparisons (deterministic, and no training time on every upload).
    """

    name: str
    rows: Callable[[Sequence, dict], list[dict]]
    settings: Callable[[], dict]
    prepare: Callable[[Sequence], dict] = lambda registry: {}
    train: tuple = ()
    retain: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)


def candidate_pairs(incoming: Sequence, registry: Sequence, *, config: LinkConfig | None = None,
                    engine: str = "duckdb", top_k: int = 5, min_weight: float = -14.0,
                    spark=None, chunk_size: int = CHUNK_SIZE) -> list[Candidate]:
    """Each incoming record's ``top_k`` best registry entities by splink match weight
    (those above ``min_weight``), best first. Records are :class:`RecordView` for the
    facility configuration, or whatever ``config.rows`` accepts.

    ``engine`` is ``"duckdb"`` or ``"spark"`` (a local session is made unless ``spark``,
    a SparkSession, is given).

    On DuckDB, a configuration with fixed m and u probabilities (nothing to train, as the
    facility one) links the incoming records ``chunk_size`` at a time against the registry:
    a pair's weight depends on the two records only (no term-frequency adjustment, nothing
    learned from the data), so the candidates are the same as in one run, while splink's
    blocked pairs and prediction tables stay a fraction of the size. A configuration that
    trains (people) sees all its records at once.
    """
    config = config or FACILITY
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    if not incoming or not registry:
        return []
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    stats = config.prepare(registry)
    if engine == "spark":
        left, right = config.rows(incoming, stats), config.rows(registry, stats)
        stats = None
        if not left or not right:
            return []
        out = _predict(left, right, config, engine, spark, top_k, min_weight)
    else:
        # The registry's rows go to Arrow a batch at a time: half a million splink input
        # dicts at once are ~2 GB of Python objects, their Arrow table a quarter of that.
        right = _arrow_batched(registry, config, stats)
        chunks = ([incoming] if config.train or config.extra.get("deterministic")
                  else [incoming[i:i + chunk_size] for i in range(0, len(incoming), chunk_size)])
        like = right.schema if right is not None else None
        left_tables = (_arrow_batched(chunk, config, stats, like) for chunk in chunks)
        out = []
        if right is not None:
            for left in left_tables:
                if left is not None:
                    out.extend(_predict(left, right, config, engine, spark, top_k, min_weight))
        stats = right = None
    out.sort(key=lambda c: (c.left_id, -c.match_weight, c.right_id))
    return out


def _predict(left, right, config: LinkConfig, engine: str, spark, top_k: int,
             min_weight: float) -> list[Candidate]:
    linker, db = _linker(left, right, config, engine, spark)
    del left, right  # the backend has its own copy
    try:
        if config.train:
            _train(linker, config)
        predictions = linker.inference.predict(threshold_match_weight=min_weight,
                                               warning_mode="never")
        best = predictions.query_sql(_top_k_sql(top_k))
        return [Candidate(int(r["entity_id_l"]), int(r["entity_id_r"]),
                          float(r["match_weight"]), float(r["match_probability"]))
                for r in best.as_record_list()]
    finally:
        _close(db, engine)


def _arrow_batched(records: Sequence, config: LinkConfig, stats: dict, like=None):
    """The splink input rows of ``records`` as one Arrow table (None when there are none),
    built ``_ARROW_BATCH`` records at a time so the Python dicts never pile up. A column no
    record filled in takes its type from the schema ``like`` (the registry's), else
    float for coordinates and string otherwise."""
    import pyarrow as pa

    tables = []
    for i in range(0, len(records), _ARROW_BATCH):
        rows = config.rows(records[i:i + _ARROW_BATCH], stats)
        if rows:
            tables.append(_arrow(rows, nulls=True))
        del rows
    if not tables:
        return None
    table = pa.concat_tables(tables, promote_options="default")
    del tables
    for i, f in enumerate(table.schema):
        if pa.types.is_null(f.type):
            if like is not None and f.name in like.names:
                kind = like.field(f.name).type
            else:
                kind = pa.float64() if f.name in ("lat", "lng") else pa.string()
            table = table.set_column(i, f.name, table.column(i).cast(kind))
    return table


def _top_k_sql(k: int) -> str:
    """Best weight per (record, entity) — an entity has one row per name — then the k best
    entities per record. Plain SQL that DuckDB and Spark both run."""
    return f"""
        select entity_id_l, entity_id_r, match_weight, match_probability from (
            select *, row_number() over (
                partition by entity_id_l order by match_weight desc, entity_id_r) as rank_
            from (
                select entity_id_l, entity_id_r, max(match_weight) as match_weight,
                       max(match_probability) as match_probability
                from __splink__df_predict group by entity_id_l, entity_id_r
            ) per_entity
        ) ranked where rank_ <= {int(k)}
    """.replace("__splink__df_predict", "{this}")  # noqa: S608 - k is an int


def _linker(left: list[dict], right: list[dict], config: LinkConfig, engine: str, spark):
    from splink import Linker, SettingsCreator

    settings = SettingsCreator(link_type="link_only", unique_id_column_name="unique_id",
                               additional_columns_to_retain=["entity_id", *config.retain],
                               retain_intermediate_calculation_columns=False,
                               **config.settings())
    # A Spark session outlives one call and keeps its tables: names must not repeat.
    run = uuid.uuid4().hex[:8]
    if engine == "spark":
        db = _spark_api(spark)
        session = db.spark
        tables = [db.register(_spark_rows(rows, session), dataset_display_name=f"{name}_{run}")
                  for rows, name in ((left, "incoming"), (right, "registry"))]
    else:
        import duckdb
        from splink import DuckDBAPI

        spill = Path(tempfile.gettempdir()) / "shopfloor-duckdb"
        con = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY_LIMIT,
                                     "temp_directory": str(spill)})
        db = DuckDBAPI(connection=con)
        tables = [db.register(rows if not isinstance(rows, list) else _arrow(rows),
                              dataset_display_name=name)
                  for rows, name in ((left, "incoming"), (right, "registry"))]
    return Linker(tables, settings), db


def _train(linker, config: LinkConfig) -> None:
    from splink import block_on

    linker.training.estimate_probability_two_random_records_match(
        [block_on(*cols) for cols in config.extra.get("deterministic", ())],
        recall=config.extra.get("recall", 0.9)) if config.extra.get("deterministic") else None
    linker.training.estimate_u_using_random_sampling(max_pairs=config.extra.get("u_pairs", 2e6),
                                                     seed=1)
    for cols in config.train:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(*cols), estimate_without_term_frequencies=True)


def _arrow(rows: list[dict], nulls: bool = False):
    """A pyarrow table with explicit types, so an all-null column (no record has
    coordinates) still has a type splink can compare — or, with ``nulls``, the null type,
    for :func:`_arrow_batched` to unify across batches."""
    import pyarrow as pa

    types = {}
    for key in rows[0]:
        sample = next((r[key] for r in rows if r[key] is not None), None)
        if isinstance(sample, float):
            types[key] = pa.float64()
        elif isinstance(sample, int):
            types[key] = pa.int64()
        elif isinstance(sample, list):
            types[key] = pa.list_(pa.string())
        elif key in ("lat", "lng"):
            types[key] = pa.float64()
        elif sample is None and nulls:
            types[key] = pa.null()
        else:
            types[key] = pa.string()
    return pa.table({k: pa.array([r[k] for r in rows], type=t) for k, t in types.items()})


def _spark_rows(rows: list[dict], session):
    """A Spark DataFrame of ``rows`` with the same explicit types as :func:`_arrow`."""
    from pyspark.sql import types as T

    table = _arrow(rows)
    mapping = {"double": T.DoubleType(), "int64": T.LongType(), "string": T.StringType()}
    fields = []
    for f in table.schema:
        kind = str(f.type)
        spark_type = (T.ArrayType(T.StringType()) if kind.startswith("list")
                      else mapping.get(kind, T.StringType()))
        fields.append(T.StructField(f.name, spark_type, True))
    return session.createDataFrame([tuple(r.values()) for r in rows], T.StructType(fields))


def _spark_api(spark):
    """splink's Spark backend on ``spark`` or on a local session with splink's similarity
    functions jar (Jaro-Winkler and friends are Scala UDFs)."""
    from splink.backends.spark import SparkAPI

    return SparkAPI(spark_session=spark or spark_session())


@lru_cache(maxsize=1)
def spark_session():
    """A local Spark session for splink (both cores, small shuffles: the data fit one
    machine when this runs; a cluster passes its own session instead)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise RuntimeError("The Spark engine needs pyspark: pip install 'shopfloor[spark]'") \
            from exc
    from splink.backends.spark import similarity_jar_location

    logging.getLogger("py4j").setLevel(logging.WARNING)
    session = (SparkSession.builder.master("local[2]").appName("shopfloor-linkage")
               .config("spark.jars", similarity_jar_location())
               .config("spark.sql.shuffle.partitions", "8")
               .config("spark.default.parallelism", "4")
               .config("spark.driver.memory", "4g")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.execution.arrow.pyspark.enabled", "false")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="shopfloor-spark-"))
    return session


def _close(db, engine: str) -> None:
    if engine == "duckdb":
        with contextlib.suppress(Exception):  # best effort; the connection is in-memory
            db._con.close()


# --- facilities ------------------------------------------------------------------------


def _clean_name(name: str, country: str = "") -> str:
    """The comparable form of a facility name for blocking and ranking. Latin names use the
    fast strict key (common legal forms stripped, ~150,000 names/s: the registry has half a
    million); Khmer script goes through the full cleaner, which romanises it. Legal forms the
    key keeps ("TNHH", "Tbk") are frequent tokens, so they never block and barely rank."""
    if _has_khmer(name):
        from shopfloor.linkage.normalise import clean_name

        return clean_name(name, country)
    return name_key(name)


def _has_khmer(text: str) -> bool:
    return any("\u1780" <= ch <= "\u17ff" or "\u19e0" <= ch <= "\u19ff" for ch in text)


def _tokens(clean: str) -> list[str]:
    return [t for t in _SPLIT.split(clean) if t]


_DIGITS = re.compile(r"\b[\w-]*\d[\w-]*\b")


def _place(address: str, country: str) -> str | None:
    """The gazetteer district (else province) of a Cambodian address, so "Pou Senchey",
    "Por Sen Chey" and ពោធិ៍សែនជ័យ agree."""
    from shopfloor.linkage.gazetteer import resolve

    place = resolve(address, country) if address else None
    return (place.district_code or place.province_code) if place else None


def _names(view: RecordView) -> list[str]:
    names = [view.name, *view.other_names]
    return list(dict.fromkeys(n for n in names if n and n.strip()))


def _facility_prepare(registry: Sequence[RecordView]) -> dict:
    """Registry-wide name-token frequencies: a token's weight in blocking and comparison."""
    freq: Counter[str] = Counter()
    cleaned: dict[tuple[str, str], str] = {}
    for view in registry:
        seen: set[str] = set()
        for name in _names(view):
            clean = cleaned.setdefault((name, view.country), _clean_name(name, view.country))
            seen.update(_tokens(clean))
        freq.update(seen)
    return {"freq": freq, "cleaned": cleaned, "rows": max(len(registry), 1)}


def _facility_rows(views: Sequence[RecordView], stats: dict) -> list[dict]:
    freq: Counter = stats["freq"]
    cleaned: dict = stats["cleaned"]
    rows_n = stats["rows"]
    rare_cut = max(20, rows_n // 200)
    block_cut = min(MAX_BLOCK_FREQUENCY, max(50, rows_n // 100))
    rows = []
    place_cache: dict[tuple[str, str], str | None] = {}
    for view in views:
        addr_words = sorted(address_tokens(view.address or "") - _ADDRESS_NOISE)
        # House and street numbers never name a place: without them, the addresses of
        # one commune share a cache entry.
        key = (" ".join(_DIGITS.sub(" ", view.address or "").split()), view.country or "")
        if key not in place_cache:
            place_cache[key] = _place(*key)
        place = place_cache[key]
        has_geo = view.lat is not None and view.lng is not None
        for i, name in enumerate(_names(view)):
            clean = cleaned.get((name, view.country)) or _clean_name(name, view.country)
            tokens = _tokens(clean)
            if not tokens:
                continue
            squash = "".join(tokens)
            rows.append({
                "unique_id": f"{view.id}~{i}",
                "entity_id": view.id,
                "country": view.country or None,
                "name_clean": clean,
                "name_squash": squash,
                "name_prefix": squash[:6] if len(squash) >= 6 else None,
                "acronym": "".join(t[0] for t in tokens) if len(tokens) >= 3 else None,
                "rare_tokens": [t for t in tokens if freq.get(t, 0) <= rare_cut],
                "block_keys": _block_keys(tokens, freq, block_cut) or None,
                "address_words": addr_words or None,
                "place": place,
                "lat": view.lat if has_geo else None,
                "lng": view.lng if has_geo else None,
                "os_id": (view.os_id or "").upper() or None,
                "bfc_id": (view.bfc_id or "").upper() or None,
            })
    return rows


def _block_keys(tokens: list[str], freq: Counter, block_cut: int) -> list[str]:
    """Blocking keys of a name, each with its one-letter deletions so that a typo in a word
    ("Qiangnasi" for "Qiangansi": both give "qiangasi") still shares a key:

    - its three rarest words seen on at most ``block_cut`` registry rows (when none is that
      rare, its rarest word anyway: a one-word name must block on something);
    - its two rarest words together ("golden+star"), rare even when each word is not;
    - adjacent words joined when one of them is unknown to the registry ("Xin Feng" for
      "Xinfeng").
    """
    unique = list(dict.fromkeys(t for t in tokens if len(t) > 1))
    by_rarity = sorted(unique, key=lambda t: (freq.get(t, 0), t))
    blockable = [t for t in by_rarity if len(t) > 2 and freq.get(t, 0) <= block_cut]
    if not blockable:
        blockable = [t for t in by_rarity if len(t) > 2 and not t.isdigit()][:1]
    keys: set[str] = set()
    for tok in blockable[:3]:
        keys.update(_with_deletions(tok))
    if len(by_rarity) >= 2:
        a, b = sorted(by_rarity[:2])
        keys.update(f"{x}+{b}" for x in _with_deletions(a))
        keys.update(f"{a}+{y}" for y in _with_deletions(b))
    for a, b in zip(tokens, tokens[1:], strict=False):
        if not freq.get(a) or not freq.get(b):
            joined = a + b
            if len(joined) >= 5 and not joined.isdigit():
                keys.update(_with_deletions(joined))
    return sorted(keys)


def _with_deletions(token: str) -> set[str]:
    if len(token) < 5:
        return {token}
    return {token, *(token[:j] + token[j + 1:] for j in range(len(token)))}


def _facility_settings() -> dict:
    import splink.comparison_library as cl
    from splink import block_on

    same_country = "l.country = r.country"
    return {
        "probability_two_random_records_match": 1e-5,
        "blocking_rules_to_generate_predictions": [
            block_on("country", "block_keys", arrays_to_explode=["block_keys"]),
            block_on("country", "name_prefix"),
            f"{same_country} and l.name_squash = r.acronym",
            f"{same_country} and l.acronym = r.name_squash",
            block_on("os_id"),
            block_on("bfc_id"),
        ],
        "comparisons": [
            # No term-frequency adjustment on the whole name: rarity is carried by the tokens
            # (rare_tokens, block_keys); a whole-name frequency punishes the exact spelling
            # in a small registry (two "Golden Lotus Garment" in different countries).
            cl.JaroWinklerAtThresholds("name_clean", [0.95, 0.88, 0.75]).configure(
                m_probabilities=[0.6, 0.2, 0.1, 0.05, 0.05],
                u_probabilities=[1e-5, 1e-4, 1e-3, 0.02, 0.977]),
            cl.ArrayIntersectAtSizes("rare_tokens", [2, 1]).configure(
                m_probabilities=[0.6, 0.3, 0.1], u_probabilities=[1e-5, 1e-3, 0.999]),
            cl.ArrayIntersectAtSizes("address_words", [3, 1]).configure(
                m_probabilities=[0.5, 0.3, 0.2], u_probabilities=[0.005, 0.1, 0.895]),
            cl.ExactMatch("place").configure(m_probabilities=[0.85, 0.15],
                                             u_probabilities=[0.1, 0.9]),
            cl.DistanceInKMAtThresholds("lat", "lng", [0.3, 3, 30]).configure(
                m_probabilities=[0.6, 0.25, 0.1, 0.05],
                u_probabilities=[1e-5, 5e-4, 0.05, 0.94949]),
            cl.ExactMatch("os_id").configure(m_probabilities=[0.98, 0.02],
                                             u_probabilities=[1e-6, 0.999999]),
            cl.ExactMatch("bfc_id").configure(m_probabilities=[0.98, 0.02],
                                              u_probabilities=[1e-6, 0.999999]),
        ],
    }


FACILITY = LinkConfig("facility", rows=_facility_rows, settings=_facility_settings,
                      prepare=_facility_prepare)


# --- people (FEBRL) ----------------------------------------------------------------------

PERSON_FIELDS = ("given_name", "surname", "street_number", "address_1", "address_2", "suburb",
                 "postcode", "state", "date_of_birth", "soc_sec_id")


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A person as FEBRL describes them; ``id`` is any integer."""

    id: int
    given_name: str = ""
    surname: str = ""
    street_number: str = ""
    address_1: str = ""
    address_2: str = ""
    suburb: str = ""
    postcode: str = ""
    state: str = ""
    date_of_birth: str = ""
    soc_sec_id: str = ""


def _person_rows(people: Sequence[PersonRecord], stats: dict) -> list[dict]:
    rows = []
    for p in people:
        row = {"unique_id": str(p.id), "entity_id": p.id}
        for f in PERSON_FIELDS:
            value = " ".join(str(getattr(p, f) or "").lower().split())
            row[f] = value or None
        rows.append(row)
    return rows


def _person_settings() -> dict:
    import splink.comparison_library as cl
    from splink import block_on

    return {
        "blocking_rules_to_generate_predictions": [
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("postcode", "street_number"),
            block_on("soc_sec_id"),
            block_on("date_of_birth", "postcode"),
        ],
        "comparisons": [
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.LevenshteinAtThresholds("street_number", [1]),
            cl.LevenshteinAtThresholds("postcode", [1]),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9]),
            cl.ExactMatch("state"),
        ],
    }


PERSON = LinkConfig(
    "person", rows=_person_rows, settings=_person_settings,
    train=(("given_name",), ("date_of_birth",), ("surname",)),
    extra={"u_pairs": 1e7,
           "deterministic": (("given_name", "surname", "date_of_birth"),
                             ("soc_sec_id",)),
           "recall": 0.8},
)

CONFIGS = {"facility": FACILITY, "person": PERSON}


def best_per_record(pairs: Iterable[Candidate]) -> dict[int, Candidate]:
    """The best candidate of each incoming record."""
    best: dict[int, Candidate] = {}
    for c in pairs:
        if c.left_id not in best or c.match_weight > best[c.left_id].match_weight:
            best[c.left_id] = c
    return best


def weight_to_probability(weight: float) -> float:
    return 1.0 / (1.0 + math.pow(2.0, -weight))
