"""Fixed tables the demo generator draws from. Everything named here is fictional, except
real geography (provinces, districts), the Cambodian minimum wage and BFC's 21 critical issues.
"""

from __future__ import annotations

#: Province -> districts with an approximate centre (lat, lng) and a road for addresses.
#: ``quota`` is how many of the demo facilities lie in the province (60 in all).
PROVINCES: dict[str, dict] = {
    "Phnom Penh": {"quota": 19, "districts": [
        ("Pou Senchey", 11.545, 104.840, None),
        ("Dangkao", 11.480, 104.870, None),
        ("Meanchey", 11.520, 104.925, None),
        ("Russey Keo", 11.620, 104.905, None),
        ("Sen Sok", 11.595, 104.865, None),
        ("Chbar Ampov", 11.530, 104.960, None),
        ("Prek Pnov", 11.665, 104.850, None),
    ]},
    "Kandal": {"quota": 10, "districts": [
        ("Ang Snuol", 11.470, 104.720, "National Road 4"),
        ("Ta Khmau", 11.480, 104.945, "National Road 2"),
        ("Kandal Stueng", 11.350, 104.850, "National Road 2"),
        ("S'ang", 11.260, 105.000, "National Road 21"),
        ("Ponhea Lueu", 11.780, 104.820, "National Road 5"),
    ]},
    "Kampong Speu": {"quota": 8, "districts": [
        ("Samraong Tong", 11.440, 104.470, "National Road 4"),
        ("Chbar Mon", 11.455, 104.520, "National Road 4"),
        ("Kong Pisei", 11.300, 104.650, "National Road 3"),
    ]},
    "Svay Rieng": {"quota": 6, "districts": [
        ("Bavet", 11.065, 106.145, "National Road 1"),
        ("Svay Chrum", 11.100, 105.860, "National Road 1"),
        ("Chantrea", 10.960, 106.010, "National Road 1"),
    ]},
    "Takeo": {"quota": 5, "districts": [
        ("Bati", 11.220, 104.820, "National Road 2"),
        ("Doun Kaev", 10.990, 104.790, "National Road 2"),
        ("Tram Kak", 11.010, 104.610, "National Road 3"),
    ]},
    "Kampong Chhnang": {"quota": 4, "districts": [
        ("Kampong Tralach", 11.900, 104.760, "National Road 5"),
        ("Rolea B'ier", 12.200, 104.620, "National Road 5"),
    ]},
    "Kampong Cham": {"quota": 3, "districts": [
        ("Kampong Siem", 12.010, 105.400, "National Road 7"),
        ("Cheung Prey", 12.080, 105.150, "National Road 7"),
    ]},
    "Prey Veng": {"quota": 3, "districts": [
        ("Peam Ro", 11.300, 105.300, "National Road 1"),
        ("Svay Antor", 11.420, 105.400, "National Road 11"),
    ]},
    "Preah Sihanouk": {"quota": 2, "districts": [
        ("Prey Nob", 10.680, 103.640, "National Road 4"),
        ("Stueng Hav", 10.760, 103.560, "National Road 4"),
    ]},
}

#: Fictional name stems with a Khmer rendering of their meaning.
NAME_STEMS_KM: list[tuple[str, str]] = [
    ("Golden Lotus", "ផ្កាឈូកមាស"),
    ("Mekong Star", "ផ្កាយមេគង្គ"),
    ("Angkor Pearl", "គុជអង្គរ"),
    ("Silver Thread", "អំបោះប្រាក់"),
    ("Tonle Sap", "ទន្លេសាប"),
    ("Royal Crown", "មកុដរាជ"),
    ("Lucky Sun", "ព្រះអាទិត្យសំណាង"),
    ("Sunrise", "ថ្ងៃរះ"),
    ("New Dragon", "នាគថ្មី"),
    ("Blue Ocean", "មហាសមុទ្រខៀវ"),
    ("Evergreen", "បៃតងជានិច្ច"),
    ("Golden Palm", "ត្នោតមាស"),
    ("Kampuchea Star", "ផ្កាយកម្ពុជា"),
    ("Angkor Silk", "សូត្រអង្គរ"),
    ("Harmony", "សុខដុមរមនា"),
    ("Diamond Star", "ផ្កាយពេជ្រ"),
    ("Moonlight", "ពន្លឺព្រះចន្ទ"),
    ("Jasmine", "ផ្កាម្លិះ"),
    ("White Crane", "ក្រៀលស"),
    ("Golden Tiger", "ខ្លាមាស"),
    ("Bright Future", "អនាគតភ្លឺស្វាង"),
    ("Prosperity", "វិបុលភាព"),
    ("Victory", "ជ័យជំនះ"),
    ("Rainbow", "ឥន្ទធនូ"),
    ("White Elephant", "ដំរីស"),
    ("Sea Breeze", "ខ្យល់សមុទ្រ"),
    ("Morning Star", "ផ្កាយព្រឹក"),
    ("Silver River", "ទន្លេប្រាក់"),
    ("Red Lotus", "ផ្កាឈូកក្រហម"),
    ("Golden Rice", "ស្រូវមាស"),
    ("Lucky Star", "ផ្កាយសំណាង"),
    ("Blue Sky", "មេឃខៀវ"),
    ("Peacock", "ក្ងោក"),
    ("Mango Tree", "ដើមស្វាយ"),
]

#: Fictional stems in the romanised Chinese, Taiwanese and Korean style of many owners.
NAME_STEMS_ROMAN: list[str] = [
    "Xin Hua Feng", "Tai Shun", "Hong Li", "Jin Yuan", "Sun Kwang", "Dae Young", "Yuan Da",
    "Heng Tai", "Fu Sheng", "Chang Hong", "Long Feng", "Han Seong", "Wing Tat", "Kin Lung",
]

#: (English pattern, Khmer factory word). ``{}`` is the stem.
NAME_PATTERNS: list[tuple[str, str]] = [
    ("{} Garment Co., Ltd.", "រោងចក្រកាត់ដេរ"),
    ("{} Apparel (Cambodia) Co., Ltd.", "រោងចក្រកាត់ដេរ"),
    ("{} Garment Manufacturing Co., Ltd.", "រោងចក្រកាត់ដេរ"),
    ("{} Fashion Co., Ltd.", "រោងចក្រកាត់ដេរ"),
    ("{} Sportswear (Cambodia) Co., Ltd.", "រោងចក្រកាត់ដេរ"),
    ("{} Knitting Factory Co., Ltd.", "រោងចក្រវាយនភណ្ឌ"),
    ("{} Textile (Cambodia) Ltd.", "រោងចក្រវាយនភណ្ឌ"),
]

#: name, kind, HQ, employees, aliases, first and last year sourcing in Cambodia,
#: publishes a supplier list, buying weight.
BRANDS: list[tuple] = [
    ("Tulpwear", "brand", "NL", 420, ["Tulpwear B.V.", "TULP"], 2016, 2025, True, 5),
    ("Van Dijk Denim", "brand", "NL", 1350, ["VDD", "Van Dyk Denim"], 2017, 2025, True, 4),
    ("Oranjeveld Kids", "brand", "NL", 160, ["Oranjeveld"], 2019, 2025, True, 2),
    ("Nordwind Outdoor", "brand", "DE", 2900, ["Nordwind Outdoor GmbH"], 2016, 2025, True, 3),
    ("Kaufhaus Lindner", "retailer", "DE", 18500, ["Lindner"], 2016, 2022, False, 4),
    ("Stadtmode", "brand", "DE", 640, ["Stadtmode GmbH"], 2018, 2025, False, 2),
    ("Kinderhaus", "brand", "DE", 230, [], 2016, 2020, False, 1),
    ("Maison Boréal", "brand", "FR", 5400, ["Maison Boreal", "Boréal SA"], 2016, 2025, True, 4),
    ("Marché Central", "retailer", "FR", 61000, ["Marche Central"], 2016, 2021, True, 5),
    ("Fjellstad Sport", "brand", "NO", 780, ["Fjellstad"], 2016, 2025, True, 2),
    ("Polar Trail", "brand", "NO", 410, ["Polar Trail AS"], 2018, 2025, True, 2),
    ("Skogsö Basics", "brand", "SE", 2300, ["Skogso Basics", "Skogsö"], 2016, 2025, True, 4),
    ("Lindqvist & Co", "brand", "SE", 9100, ["Lindqvist", "Lindqvist and Co"], 2016, 2025,
     True, 5),
    ("Havbrise", "brand", "DK", 350, [], 2020, 2025, False, 1),
    ("Nørrebro Knit", "brand", "DK", 95, ["Norrebro Knit"], 2018, 2023, True, 1),
    ("Thames & Finch", "brand", "GB", 4200, ["Thames and Finch"], 2016, 2025, True, 3),
    ("Highstreet Value", "retailer", "GB", 32000, ["HSV", "Highstreet Value Ltd"], 2016, 2025,
     False, 5),
    ("Ridgeline Athletics", "brand", "US", 15500, ["Ridgeline", "Ridgeline Athletic Inc."],
     2016, 2025, True, 5),
    ("Pacific Thread", "brand", "US", 2100, ["Pacific Thread Co."], 2016, 2019, True, 3),
    ("ValueMart Stores", "retailer", "US", 210000, ["ValueMart"], 2016, 2025, False, 5),
    ("Sakura Basics", "brand", "JP", 6700, ["Sakura"], 2017, 2025, True, 4),
    ("Hoshino Uniform", "brand", "JP", 1100, ["Hoshino"], 2016, 2024, False, 2),
    ("Brabo Fashion", "brand", "BE", 540, ["Brabo"], 2019, 2025, True, 2),
    ("Costa Azul Moda", "brand", "ES", 3800, ["Costa Azul"], 2016, 2025, True, 3),
    ("Alba Textil", "retailer", "ES", 12500, ["Alba"], 2021, 2025, True, 3),
]

#: Parent groups: name, HQ, employees, aliases, [(brand, owned since)].
GROUPS: list[tuple] = [
    ("Nordic Apparel Group", "SE", 14000, ["NAG"],
     [("Skogsö Basics", 2012), ("Lindqvist & Co", 2010), ("Havbrise", 2020),
      ("Polar Trail", 2018)]),
    ("Groupe Delorme", "FR", 72000, ["Delorme SA"],
     [("Maison Boréal", 2008), ("Marché Central", 2005), ("Costa Azul Moda", 2017)]),
    ("Atlantic Apparel Holdings", "US", 24000, ["AAH"],
     [("Ridgeline Athletics", 2011), ("Pacific Thread", 2014), ("Thames & Finch", 2019)]),
]

#: Supplier groups that own factories: name, HQ, employees, how many factories.
SUPPLIER_GROUPS: list[tuple] = [
    ("Far Harbour Textile Group", "HK", 21000, 4),
    ("Hanseong Global", "KR", 9000, 3),
]

#: Metrics: code, name, topic, unit, value type, subject.
METRICS: list[tuple[str, str, str, str, str, str]] = [
    ("workers_total", "Total workers", "demographics", "workers", "number", "facility"),
    ("line_workers", "Line workers", "demographics", "workers", "number", "facility"),
    ("workers_female_pct", "Female workers (%)", "demographics", "%", "percent", "facility"),
    ("workers_migrant_pct", "Migrant workers (%)", "demographics", "%", "percent",
     "facility"),
    ("workers_band", "Number of workers (band)", "demographics", "", "category",
     "facility"),
    ("avg_monthly_wage_usd", "Average monthly wage", "wages", "USD/month", "money",
     "facility"),
    ("cba_coverage_pct", "Workers covered by a collective agreement", "cba", "%", "percent",
     "facility"),
    ("has_cba", "Collective bargaining agreement in force", "cba", "", "category",
     "facility"),
    ("union_present", "Union present at the factory", "foa", "", "category", "facility"),
    ("union_members", "Union members", "foa", "members", "number", "facility"),
    ("minimum_wage_monthly", "Legal minimum wage (garment sector)", "wages", "USD/month", "money",
     "country"),
    ("living_wage_benchmark_monthly", "Living wage benchmark", "wages", "USD/month", "money",
     "country"),
    ("transparency_score", "Supply-chain transparency score", "transparency", "0–100",
     "number", "company"),
    ("living_wage_grade", "Living-wage commitment grade", "wages", "A–E", "category",
     "company"),
    ("has_foa_policy", "Has a freedom-of-association policy", "foa", "", "category",
     "company"),
    ("publishes_supplier_list", "Publishes its supplier list", "transparency", "", "category",
     "company"),
]

#: Cambodia's minimum wage for the garment, textile and footwear sector, USD per month.
MINIMUM_WAGE_KH: dict[int, int] = {
    2016: 140, 2017: 153, 2018: 170, 2019: 182, 2020: 190,
    2021: 192, 2022: 194, 2023: 200, 2024: 204, 2025: 208,
}

#: A fictional living-wage benchmark for garment workers, USD per month.
LIVING_WAGE_KH: dict[int, int] = {
    2019: 366, 2020: 372, 2021: 381, 2022: 398, 2023: 412, 2024: 423, 2025: 431,
}

#: BFC's 21 critical issues: code, cluster, English text (as published), Khmer text,
#: the demo's base non-compliance rate, and a typical finding detail.
CRITERIA: list[tuple[str, str, str, str, float, str]] = [
    ("1", "Fundamental Rights", "No unremediated child labour",
     "គ្មានពលកម្មកុមារដែលមិនទាន់បានដោះស្រាយ", 0.003,
     "A worker under 15 was found employed; remediation not completed."),
    ("2", "Fundamental Rights", "No forced labour (Freedom of movement)",
     "គ្មានពលកម្មដោយបង្ខំ (សេរីភាពក្នុងការធ្វើដំណើរ)", 0.01,
     "Workers need a pass to leave the premises during breaks."),
    ("3", "Fundamental Rights", "No discrimination against workers",
     "គ្មានការរើសអើងលើកម្មករ", 0.06,
     "Job advertisements stated an age limit and a gender preference."),
    ("4", "Fundamental Rights", "No dismissal of pregnant workers",
     "គ្មានការបញ្ឈប់កម្មការិនីមានផ្ទៃពោះពីការងារ", 0.03,
     "A pregnant worker's fixed-duration contract was not renewed."),
    ("5", "Fundamental Rights", "No dismissal of workers during maternity leave",
     "គ្មានការបញ្ឈប់កម្មករពីការងារក្នុងអំឡុងពេលឈប់សម្រាកលំហែមាតុភាព", 0.02,
     "A worker on maternity leave was dismissed."),
    ("6", "Fundamental Rights", "No sexual harassment",
     "គ្មានការបៀតបៀនផ្លូវភេទ", 0.04,
     "Workers reported verbal sexual harassment by a line supervisor."),
    ("7", "Fundamental Rights", "Equal pay for men and women",
     "ប្រាក់ឈ្នួលស្មើគ្នាសម្រាប់បុរស និងស្ត្រី", 0.03,
     "Women line leaders are paid less than men line leaders for the same work."),
    ("8", "Fundamental Rights", "No discrimination against workers based on union membership",
     "គ្មានការរើសអើងលើកម្មករដោយផ្អែកលើសមាជិកភាពសហជីព", 0.09,
     "Contracts of union members were not renewed."),
    ("9", "Fundamental Rights", "Workers join and form unions freely",
     "កម្មករចូលរួម និងបង្កើតសហជីពដោយសេរី", 0.07,
     "New workers were told at orientation not to join a union."),
    ("10", "Fundamental Rights", "No control of union by employer",
     "គ្មានការគ្រប់គ្រងសហជីពដោយនិយោជក", 0.06,
     "Management proposed the candidates for the union election."),
    ("11", "Fundamental Rights", "Job is not dependent on union membership",
     "ការងារមិនអាស្រ័យលើសមាជិកភាពសហជីព", 0.05,
     "New workers had to join a particular union to be hired."),
    ("12", "Fundamental Rights", "No management interference with union",
     "គ្មានការជ្រៀតជ្រែករបស់ថ្នាក់គ្រប់គ្រងលើសហជីព", 0.10,
     "Managers attended union meetings without an invitation."),
    ("13", "Fundamental Rights", "Workers are free not to join union",
     "កម្មករមានសេរីភាពមិនចូលជាសមាជិកសហជីព", 0.05,
     "Workers were pressed to join the union management favours."),
    ("14", "OSH/Emergency", "Regular emergency evacuation drills (every 6 months)",
     "ការហ្វឹកហាត់ជម្លៀសពេលមានអាសន្នជាប្រចាំ (រៀងរាល់ ៦ ខែម្តង)", 0.22,
     "The last evacuation drill was more than six months before the visit."),
    ("15", "OSH/Emergency", "Emergency exit doors are unlocked during working hours",
     "ទ្វារចេញពេលអាសន្នមិនត្រូវបានចាក់សោក្នុងម៉ោងធ្វើការ", 0.14,
     "An emergency exit on the second floor was locked during working hours."),
    ("16", "OSH/Emergency", "Emergency exit doors are sufficient",
     "ទ្វារចេញពេលអាសន្នមានគ្រប់គ្រាន់", 0.18,
     "Too few emergency exits for the number of workers on the sewing floor."),
    ("17", "OSH/Emergency", "Dangerous machine parts have safety guards (not needle guards)",
     "ផ្នែកគ្រោះថ្នាក់នៃម៉ាស៊ីនមានឧបករណ៍ការពារសុវត្ថិភាព (មិនមែនឧបករណ៍ការពារម្ជុល)", 0.30,
     "Belt guards missing on several sewing machines and on the cutting machine."),
    ("18", "OSH/Emergency", "Clean and sufficient drinking water",
     "ទឹកផឹកស្អាត និងគ្រប់គ្រាន់", 0.12,
     "Drinking water not tested; too few water points for the workforce."),
    ("19", "Wages", "Correctly paid minimum wages",
     "ការបើកប្រាក់ឈ្នួលអប្បបរមាបានត្រឹមត្រូវ", 0.14,
     "Probationary workers were paid below the legal minimum wage."),
    ("20", "Wages", "Correctly paid overtime wages (ordinary overtime hours)",
     "ការបើកប្រាក់ឈ្នួលម៉ោងបន្ថែមបានត្រឹមត្រូវ (ម៉ោងបន្ថែមធម្មតា)", 0.24,
     "Overtime was paid at the ordinary rate instead of 150 %."),
    ("21", "Contracts", "Bonuses, allowances, leaves count entire employment period",
     "ប្រាក់រង្វាន់ ប្រាក់ឧបត្ថម្ភ និងការឈប់សម្រាក គិតតាមរយៈពេលបម្រើការងារទាំងមូល", 0.16,
     "The seniority bonus counts only the latest contract, not the whole employment."),
]

#: Organisations: (name, Khmer name).
FEDERATIONS: list[tuple[str, str]] = [
    ("Mekong Garment Workers' Federation", "សហព័ន្ធសហជីពកម្មករកាត់ដេរមេគង្គ"),
    ("Lotus Federation of Textile Workers", "សហព័ន្ធកម្មករវាយនភណ្ឌផ្កាឈូក"),
]
NGO = ("Fair Garment Research Centre", "មជ្ឈមណ្ឌលស្រាវជ្រាវសម្លៀកបំពាក់យុត្តិធម៌")
#: Brands with a brand organisation (and so a brand viewer login for the first).
BRAND_ORGANISATIONS: list[tuple[str, str]] = [
    ("Tulpwear", "Tulpwear sourcing & CSR team"),
    ("Van Dijk Denim", "Van Dijk Denim responsible sourcing"),
]
