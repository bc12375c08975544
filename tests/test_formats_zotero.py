"""Files as Zotero writes them (BibTeX, RIS, CSL-JSON) come in as the records
they describe: institutional authors as publishers, people as authors, dates
at their precision, LaTeX and HTML decoded, records as drafts."""

import io

import pytest

from clearinghouse.formats.exporting import export_records
from clearinghouse.formats.importing import import_file
from clearinghouse.formats.registry import FORMATS

pytestmark = pytest.mark.django_db

ZOTERO_BIBTEX = r"""
@techreport{weprotect_global_alliance_global_2021,
	address = {London},
	title = {Global {Threat} {Assessment} 2021},
	url = {https://www.weprotect.org/global-threat-assessment-21/},
	abstract = {Online child sexual exploitation is growing: 50\% more reports.},
	language = {en},
	urldate = {2023-03-01},
	institution = {WeProtect Global Alliance},
	author = {{WeProtect Global Alliance}},
	month = oct,
	year = {2021},
	keywords = {online safety, child sexual abuse material},
	file = {Full Text PDF:files/12/report.pdf:application/pdf},
}

@article{smith_trafficking_2020,
	title = {Trafficking in persons: a review of the evidence},
	volume = {12},
	issn = {1234-5678},
	shorttitle = {Trafficking in persons},
	url = {https://doi.org/10.1000/j.example.2020.01.001},
	doi = {10.1000/j.example.2020.01.001},
	language = {English},
	number = {3},
	journal = {Journal of Human Trafficking},
	author = {Smith, Jane and Garc{\'i}a, Jos{\'e} and van der Berg, Anna},
	month = mar,
	year = {2020},
	pages = {201--230},
}

@misc{ecpat_international_online_2022,
	type = {Briefing},
	title = {Online grooming -- what parents should know},
	author = {{ECPAT International}},
	publisher = {ECPAT International},
	date = {2022-06-15},
}
"""

ZOTERO_RIS = """TY  - RPRT\r
TI  - Global Threat Assessment 2021\r
AU  - WeProtect Global Alliance\r
AB  - Online child sexual exploitation and abuse is growing.\r
CY  - London\r
DA  - 2021/10//\r
PY  - 2021\r
LA  - en\r
PB  - WeProtect Global Alliance\r
UR  - https://www.weprotect.org/global-threat-assessment-21/\r
Y2  - 2023/03/01/10:00:00\r
KW  - online safety\r
KW  - child sexual abuse material\r
L1  - files/12/report.pdf\r
ER  - \r
\r
TY  - JOUR\r
TI  - Trafficking in persons: a review of the evidence\r
AU  - Smith, Jane\r
AU  - García, José\r
T2  - Journal of Human Trafficking\r
DA  - 2020/03/15/\r
PY  - 2020\r
DO  - 10.1000/j.example.2020.01.001\r
SN  - 1234-5678\r
ST  - Trafficking in persons\r
N1  - <p>Read for the <b>2023</b> review.</p>\r
ER  - \r
"""

ZOTERO_CSL_JSON = """[
  {
    "id": "http://zotero.org/users/local/aBcD1234/items/ABCD1234",
    "type": "report",
    "title": "Global Threat Assessment 2021",
    "publisher": "WeProtect Global Alliance",
    "publisher-place": "London",
    "URL": "https://www.weprotect.org/global-threat-assessment-21/",
    "language": "en-GB",
    "author": [{"literal": "WeProtect Global Alliance"}],
    "accessed": {"date-parts": [["2023", 3, 1]]},
    "issued": {"date-parts": [["2021", 10]]}
  },
  {
    "id": "http://zotero.org/users/local/aBcD1234/items/EFGH5678",
    "type": "article-journal",
    "container-title": "Journal of Human Trafficking",
    "DOI": "10.1000/j.example.2020.01.001",
    "ISSN": "1234-5678",
    "title": "Trafficking in persons: a review of the evidence",
    "title-short": "Trafficking in persons",
    "author": [
      {"family": "Smith", "given": "Jane"},
      {"family": "Berg", "given": "Anna", "non-dropping-particle": "van der"}
    ],
    "issued": {"date-parts": [["2020", 3, 15]]}
  }
]
"""

REPORT = {
    "title": "Global Threat Assessment 2021",
    "subtitle": "",
    "types": ["report"],
    "date": "2021-10",
    "publishers": ["WeProtect Global Alliance"],
    "authors": [],
    "url": "https://www.weprotect.org/global-threat-assessment-21/",
    "languages": ["en"],
    "status": "draft",
    "access": "public",
}


def imported(name: str, text: str, **options) -> list[dict]:
    report = import_file(FORMATS[name], io.StringIO(text), filename="zotero", **options)
    assert report.errors == []
    return list(export_records())


def fields(record: dict, *names: str) -> dict:
    return {name: record[name] for name in names}


def test_it_reads_zotero_bibtex():
    report, article, briefing = imported("bibtex", ZOTERO_BIBTEX)
    assert fields(report, *REPORT) == REPORT
    assert report["abstract"] == (
        "Online child sexual exploitation is growing: 50% more reports."
    )
    assert report["keywords"] == ["online safety", "child sexual abuse material"]
    assert fields(article, "title", "subtitle", "authors", "types", "date") == {
        "title": "Trafficking in persons",
        "subtitle": "a review of the evidence",
        "authors": ["Jane Smith", "José García", "Anna van der Berg"],
        "types": ["research-article"],
        "date": "2020-03",
    }
    assert (article["doi"], article["languages"], article["isbn"]) == (
        "10.1000/j.example.2020.01.001",
        ["en"],
        "",
    )
    assert fields(briefing, "title", "types", "date", "publishers") == {
        "title": "Online grooming – what parents should know",  # LaTeX's "--"
        "types": ["briefing"],
        "date": "2022-06-15",
        "publishers": ["ECPAT International"],
    }


def test_it_reads_zotero_ris():
    report, article = imported("ris", ZOTERO_RIS)
    assert fields(report, *REPORT) == REPORT
    assert report["keywords"] == ["online safety", "child sexual abuse material"]
    assert fields(article, "title", "subtitle", "authors", "date", "doi") == {
        "title": "Trafficking in persons",
        "subtitle": "a review of the evidence",
        "authors": ["Jane Smith", "José García"],
        "date": "2020-03-15",
        "doi": "10.1000/j.example.2020.01.001",
    }
    assert article["isbn"] == ""  # SN held an ISSN
    assert article["summary"] == "Read for the 2023 review."


def test_it_reads_zotero_csl_json():
    report, article = imported("csljson", ZOTERO_CSL_JSON)
    assert fields(report, *REPORT) == REPORT
    assert fields(article, "title", "subtitle", "authors", "date", "types") == {
        "title": "Trafficking in persons",
        "subtitle": "a review of the evidence",
        "authors": ["Jane Smith", "Anna van der Berg"],
        "date": "2020-03-15",
        "types": ["research-article"],
    }


def test_it_keeps_zotero_item_uris_as_identifiers_so_a_second_import_updates():
    imported("csljson", ZOTERO_CSL_JSON)
    renamed = ZOTERO_CSL_JSON.replace(
        '"title": "Global Threat Assessment 2021"', '"title": "GTA 2021"'
    )
    report = import_file(FORMATS["csljson"], io.StringIO(renamed), filename="again")
    assert (report.created, report.updated) == ([], [])
    # Matched by the item's URI; a citation manager's file never renames a record.
    assert report.skipped == ["Global Threat Assessment 2021", "Trafficking in persons"]


def test_it_publishes_on_request():
    records = imported("ris", ZOTERO_RIS, publish=True)
    assert [record["status"] for record in records] == ["published", "published"]


def test_it_records_where_imported_records_came_from():
    report, _ = imported("ris", ZOTERO_RIS)
    assert report["provenance"] == {
        "source": "import",
        "format": "ris",
        "file": "zotero",
    }
