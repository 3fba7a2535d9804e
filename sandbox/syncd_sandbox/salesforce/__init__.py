"""Salesforce API emulator: REST (query, sObjects, Collections), Bulk API 2.0 and login.

A WSGI application over one in-memory org (``SalesforceState``), driven by the real
simple-salesforce over TLS::

    from syncd_sandbox.server import LocalCA, serve
    from syncd_sandbox.salesforce import SalesforceSettings, SalesforceState, create_app

    state = SalesforceState.from_seed(seed, clock=clock)
    settings = SalesforceSettings()
    ca = LocalCA(tmp_dir)
    served = serve(create_app(state, settings), tls=ca)

    session = requests.Session()
    session.verify = str(ca.ca_file)
    session.trust_env = False   # else REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE override ``verify``
    host = served.url.removeprefix("https://")           # "127.0.0.1:PORT"

simple-salesforce 1.12.10 builds every login URL as ``https://{domain}.salesforce.com/...``,
so a local ``host:port`` is passed as a ``domain`` that ends the path and turns the rest of
the URL into a harmless query string:

    # OAuth 2.0 client credentials (also password and JWT bearer: same domain)
    sf = Salesforce(consumer_key=settings.client_id, consumer_secret=settings.client_secret,
                    domain=f"{host}/services/oauth2/token?", session=session)
    # SOAP login (username, password, security token)
    sf = Salesforce(username=..., password=..., security_token="",
                    domain=f"{host}/services/Soap/u/59.0?", session=session)
    # or an existing token
    sf = Salesforce(instance_url=served.url, session_id=token, session=session)

After login, ``instance_url`` is this server (it echoes the request's Host), so every REST
and Bulk call reaches the emulator. ``/services/data/vXX.X/`` is served for any version
(simple-salesforce defaults to 59.0). Bulk 2.0 polling in simple-salesforce sleeps between
polls (``wait=5`` s by default): pass ``wait=0`` or patch ``simple_salesforce.bulk2.sleep``.

Served (``{v}`` is any ``vNN.N``): ``POST /services/oauth2/token`` (client_credentials,
password, JWT bearer; the JWT signature is not checked), ``POST /services/Soap/u/{ver}``;
under ``/services/data/{v}/``: ``limits``, ``sobjects``, ``sobjects/{Object}/describe``,
``query`` / ``queryAll`` (+ ``/{locator}-{offset}`` pages; ``Sforce-Query-Options:
batchSize=N``), ``sobjects/{Object}[/{Id}]``, ``sobjects/{Object}/{ExtField}/{value}``
(GET / PATCH upsert / DELETE), ``composite/sobjects`` (POST, PATCH, DELETE ?ids=),
``composite/sobjects/{Object}`` (GET ?ids=&fields=), ``composite/sobjects/{Object}/{ExtField}``
(PATCH upsert), ``jobs/ingest`` Bulk 2.0 (create, list, PUT batches, PATCH state, GET, DELETE,
``successfulResults``, ``failedResults``, ``unprocessedrecords``), ``jobs/query`` Bulk 2.0
query jobs (create, list, GET, PATCH abort, DELETE, ``results`` by locator), ``composite``
(subrequests with references). See README.md
beside this file for objects, derived fields and what sales does.

Faithful details worth knowing: error bodies are JSON arrays; an upsert that updates answers
200 with ``created: false`` from API 46.0 on (204 before); a 300 lists the matching record
URLs; SOQL compares text case-insensitively and needs parentheses to mix AND and OR; an
empty Bulk CSV cell leaves a field unchanged and ``#N/A`` clears it; deleted records stay
visible to ``queryAll``. Writes through ``SalesforceState.insert/update`` are validated like
the UI (no lock errors, the duplicate rule only warns there).

Seed format: see ``SalesforceState.from_seed`` and ``schema_data`` (the default schema).
Every request sets ``environ["sandbox.system"] = "salesforce"`` and
``environ["sandbox.endpoint"] = "<METHOD> <route template>"`` for call accounting.
"""

from __future__ import annotations

from .app import create_app
from .settings import SalesforceSettings
from .state import SalesforceState, SalesforceWriteError

__all__ = ["SalesforceSettings", "SalesforceState", "SalesforceWriteError", "create_app"]
