"""What a browser downloads: a first visit to the dashboard, and what the installable app adds.

Used by benchmarks.http against gunicorn; every size is as served (compressed where the
server compresses, headers included).
"""

import gzip
import http.client
import json
import re
import urllib.parse
from dataclasses import dataclass


def fetch(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> tuple[int, http.client.HTTPMessage, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@dataclass(frozen=True)
class Asset:
    path: str
    kind: str
    status: int
    encoding: str
    body_bytes: int
    wire_bytes: int
    # What gzip (as nginx would add it) makes of a body served uncompressed.
    gzip_bytes: int


def fetch_first_visit(port: int, headers: dict[str, str]) -> list[Asset]:
    """The dashboard and every stylesheet, script, icon and font it pulls in, as served."""
    html, page = fetch_asset(port, "/", "html", headers)
    if html.status != 200 or html.encoding != "identity":
        raise RuntimeError(f"the dashboard answered {html.status}, {html.encoding}")
    assets = [html]
    for tag in re.findall(rb"<link[^>]+>", page):
        href = re.search(rb'href="(/static/[^"]+)"', tag)
        # Only Safari asks for the home-screen icon, and only to add the app to it.
        if not href or b'rel="apple-touch-icon"' in tag:
            continue
        path = href.group(1)
        kind = "css" if path.endswith(b".css") else "icon"
        assets.append(fetch_asset(port, path.decode(), kind, headers)[0])
    for path in re.findall(rb'<script[^>]+src="(/static/[^"]+)"', page):
        assets.append(fetch_asset(port, path.decode(), "js", headers)[0])
    for path in re.findall(rb'<img[^>]+src="(/[^"]+)"', page):
        assets.append(fetch_asset(port, path.decode(), "img", headers)[0])
    for css in [asset for asset in assets if asset.kind == "css"]:
        _, _, text = fetch(port, "GET", css.path, {})
        for url in re.findall(rb"url\(['\"]?([^'\")]+)", text):
            if url.startswith(b"#"):
                continue  # a pattern in the page's own SVG (url(#rest-hatch)), not a file
            path = urllib.parse.urljoin(css.path, url.decode())
            if path.startswith("/static/"):
                assets.append(fetch_asset(port, path, "font", headers)[0])
    return assets


def fetch_asset(port: int, path: str, kind: str, headers: dict[str, str]) -> tuple[Asset, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + 2
        head += sum(len(f"{name}: {value}\r\n") for name, value in response.headers.items())
        encoding = response.headers.get("Content-Encoding", "identity")
        gzipped = len(gzip.compress(body, 6)) if encoding == "identity" else len(body)
        asset = Asset(path, kind, response.status, encoding, len(body), head + len(body), gzipped)
        return asset, body
    finally:
        connection.close()


def page_bytes(assets: list[Asset]) -> int:
    """HTML, CSS, JS, icon and fonts on the wire (headers too); photos are counted apart."""
    return sum(asset.wire_bytes for asset in assets if asset.kind != "img")


def print_first_visit(assets: list[Asset]) -> None:
    total = page_bytes(assets)
    parts = ", ".join(
        f"{asset.kind} {asset.path.rstrip('/').rsplit('/', 1)[-1] or '/'} "
        f"{asset.body_bytes} B {asset.encoding}"
        for asset in assets
        if asset.kind != "img"
    )
    print(f"first_visit bytes={total} ({total / 1024:.1f} KB on the wire: {parts})")
    if photos := [asset for asset in assets if asset.kind == "img"]:
        photo_bytes = sum(asset.wire_bytes for asset in photos)
        print(f"first_visit plus {len(photos)} lazy-loaded photo thumbnails: {photo_bytes} B")
    html = assets[0]
    if html.encoding == "identity":
        print(
            f"first_visit html is uncompressed from gunicorn ({html.body_bytes} B); "
            f"nginx's gzip would send {html.gzip_bytes} B of it"
        )


# The page's own part of the installable app: loaded with the first visit already.
APP_SCRIPTS_IN_PAGE = ("log-queue", "offline")


def fetch_installable_app(
    port: int, headers: dict[str, str], first_visit: list[Asset]
) -> list[Asset]:
    """What the service worker and the manifest add to a first visit, as Chromium fetches it.

    The worker and the scripts it imports, the files it keeps that the page did not load
    (hashed static files the page loaded come from the HTTP cache), the dashboard once more
    (the worker keeps the page it first took over, which loaded before it existed), and the
    manifest with the 192 px icon that Chromium's install check downloads.
    """
    loaded = {asset.path for asset in first_visit}
    worker, script = fetch_asset(port, "/sw.js", "worker", headers)
    assets = [worker]
    config = json.loads(re.search(rb"self\.FACETRACK = (\{.*?\});\n", script, re.DOTALL)[1])
    imported = re.findall(rb'"(/static/[^"]+)"', script.split(b"importScripts(", 1)[1])
    for path in [*(p.decode() for p in imported), *config["precache"]]:
        if path not in loaded:
            loaded.add(path)
            assets.append(fetch_asset(port, path, "kept", headers)[0])
    kept, page = fetch_asset(port, "/", "page kept", headers)
    assets.append(kept)
    manifest_path = re.search(rb'<link rel="manifest" href="([^"]+)"', page)[1].decode()
    # The browser asks for the manifest without cookies.
    anonymous = {name: value for name, value in headers.items() if name != "Cookie"}
    manifest, body = fetch_asset(port, manifest_path, "manifest", anonymous)
    assets.append(manifest)
    icon = next(
        icon
        for icon in json.loads(body)["icons"]
        if icon["sizes"] == "192x192" and icon["purpose"] == "any"
    )
    assets.append(fetch_asset(port, icon["src"], "icon", anonymous)[0])
    return assets


def print_installable_app(assets: list[Asset], first_visit: list[Asset]) -> None:
    in_page = [
        asset
        for asset in first_visit
        if asset.path.rsplit("/", 1)[-1].startswith(APP_SCRIPTS_IN_PAGE)
    ]
    total = sum(asset.wire_bytes for asset in [*in_page, *assets])
    parts = ", ".join(
        f"{asset.kind} {asset.path.rstrip('/').rsplit('/', 1)[-1] or '/'} "
        f"{asset.body_bytes} B {asset.encoding}"
        for asset in [*in_page, *assets]
    )
    print(f"installable_app adds bytes={total} to a first visit ({total / 1024:.1f} KB: {parts})")
    kept = next(asset for asset in assets if asset.kind == "page kept")
    without_page = total - kept.wire_bytes
    print(
        f"installable_app without the page kept again: {without_page} B; that page is "
        f"{kept.body_bytes} B uncompressed from gunicorn, {kept.gzip_bytes} B with nginx's gzip"
    )
