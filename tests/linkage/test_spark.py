"""The Spark engine runs the same splink model as DuckDB and reaches the same decisions.

Needs the ``spark`` extra (pyspark) and Java. Skipped when pyspark is missing on a developer
machine; on CI (``CI`` set) a missing pyspark is a failure, because CI installs the extra.
"""

import importlib.util
import os

import pytest

if importlib.util.find_spec("pyspark") is None and not os.environ.get("CI"):
    pytest.skip("pyspark is not installed: pip install -e '.[spark]' to run the Spark engine "
                "tests (CI installs it and runs them)", allow_module_level=True)

from shopfloor.linkage.candidates import best_per_record, candidate_pairs  # noqa: E402
from shopfloor.linkage.engine import link  # noqa: E402
from tests.linkage.test_candidates import REGISTRY  # noqa: E402
from tests.linkage.test_candidates import R as Record  # noqa: E402

pytestmark = pytest.mark.spark

INCOMING = [
    Record(10, "GOLDN LOTUS GARMENT", "Pou Senchey", "KH"),
    Record(11, "Lotus Golden Knitting", "", "KH"),
    Record(12, "Shen Zhou Textile Co Ltd", "Svay Rieng", "KH"),
    Record(13, "GTHS Xin Feng Jing Garment", "", "KH"),
    Record(14, "ស៊ិនចូវ", "", "KH"),
    Record(15, "Zzyzx Holdings", "", "KH"),
]


@pytest.fixture(scope="module")
def spark():
    from shopfloor.linkage.candidates import spark_session

    return spark_session()


def test_spark_candidates_equal_duckdb_candidates(spark):
    on_spark = candidate_pairs(INCOMING, REGISTRY, engine="spark", spark=spark)
    on_duckdb = candidate_pairs(INCOMING, REGISTRY, engine="duckdb")
    assert [(c.left_id, c.right_id) for c in on_spark] == [
        (c.left_id, c.right_id) for c in on_duckdb]
    for s, d in zip(on_spark, on_duckdb, strict=True):
        assert s.match_weight == pytest.approx(d.match_weight, abs=1e-6)
    best = {k: c.right_id for k, c in best_per_record(on_spark).items()}
    assert best == {10: 1, 11: 2, 12: 4, 13: 3, 14: 4}


def test_spark_engine_reaches_the_same_decisions(spark):
    on_spark = link(INCOMING, REGISTRY, engine="spark", spark=spark, create_new=False)
    on_duckdb = link(INCOMING, REGISTRY, engine="duckdb", create_new=False)
    assert {k: (o.decision, o.facility_id) for k, o in on_spark.items()} == {
        k: (o.decision, o.facility_id) for k, o in on_duckdb.items()}
    assert on_spark[15].facility_id is None
