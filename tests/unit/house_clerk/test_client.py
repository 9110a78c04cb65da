from stockyard.config import SourceSettings
from stockyard.sources.house_clerk import HouseClerkClient, document_url
from stockyard.sources.house_clerk.urls import fd_index_path, ptr_pdf_path
from stockyard.sources.http import HttpClient


def test_paths_follow_the_clerk_site_layout() -> None:
    assert fd_index_path(2024) == "/public_disc/financial-pdfs/2024FD.zip"
    assert ptr_pdf_path(2024, "20024542") == "/public_disc/ptr-pdfs/2024/20024542.pdf"


def test_document_url_for_ptrs_and_annual_reports() -> None:
    assert document_url(2024, "20024542") == (
        "https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/2024/20024542.pdf"
    )
    assert document_url(2025, "10063304") == (
        "https://disclosures-clerk.house.gov/public_disc/financial-pdfs/2025/10063304.pdf"
    )
    assert document_url(2015, "9106201").endswith("/ptr-pdfs/2015/9106201.pdf")  # paper PTR


def test_client_lineage_url_uses_the_configured_base_url() -> None:
    with HttpClient("house_clerk", SourceSettings(base_url="http://127.0.0.1:8765/")) as http:
        client = HouseClerkClient(http)
        assert client.document_url(2023, "20022260") == (
            "http://127.0.0.1:8765/public_disc/ptr-pdfs/2023/20022260.pdf"
        )
