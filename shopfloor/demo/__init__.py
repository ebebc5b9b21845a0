"""Fictional demo data: ``shopfloor demo`` loads it into an empty database.

About 60 invented Cambodian garment factories in real provinces, 25 invented brands and
retailers with their buying history 2016–2025, demographics, wages, collective bargaining,
three Better Factories Cambodia assessment cycles against the 21 critical issues, unions,
an NGO, brand teams and four logins. Every source is marked ``is_demo``; nothing here is
real evidence about a real factory or company.
"""

from shopfloor.demo.load import (
    DEMO_LOGINS,
    PASSWORD,
    SEED,
    DemoSummary,
    clear_demo,
    database_has_data,
    is_valid_os_id,
    load_demo,
    os_id_checksum,
)

__all__ = [
    "DEMO_LOGINS",
    "PASSWORD",
    "SEED",
    "DemoSummary",
    "clear_demo",
    "database_has_data",
    "is_valid_os_id",
    "load_demo",
    "os_id_checksum",
]
