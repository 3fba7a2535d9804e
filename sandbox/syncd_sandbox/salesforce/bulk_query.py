"""Bulk API 2.0 query jobs: create, poll, results as CSV pages, abort, delete, list.

A job runs its SOQL once, when it is created (its snapshot of the org), and is
``UploadComplete`` until its first poll, which finds it ``JobComplete``. Results are read in
pages of ``maxRecords`` rows (default: all); ``Sforce-Locator`` names the next page
(``null`` after the last) and ``Sforce-NumberOfRecords`` counts the rows of this page. CSV
values are quoted, null is an empty cell, booleans are ``true``/``false`` and relationship
columns are named by their path (``Account.Name``), as Salesforce writes them. The org keeps
its 200 newest query jobs (Salesforce keeps them for days; a sandbox runs for hours).
"""

from __future__ import annotations

import base64
import csv
import io

from werkzeug.wrappers import Response

from .bulk_process import DELIMITERS
from .bulk_query_rows import cells, page_bounds, query_rows
from .errors import ApiError
from .http import Ctx, json_response, read_json
from .ids import KEY_PREFIXES, make_id

__all__ = ["ROUTES"]

_OPERATIONS = ("query", "queryAll")
_LINE_ENDINGS = {"LF": "\n", "CRLF": "\r\n"}
_KEPT_JOBS = 200  # the oldest job is forgotten past this many (its results with it)


def _invalid(message: str) -> ApiError:
    return ApiError.of(400, "INVALIDJOB", f"InvalidJob : {message}")


def _settings(body: object) -> tuple[str, str, str, str]:
    if not isinstance(body, dict):
        raise _invalid("The request body must be a JSON object")
    for key in ("operation", "query", "contentType", "columnDelimiter", "lineEnding"):
        if body.get(key) is not None and not isinstance(body[key], str):
            raise _invalid(f"{key}: must be a string")
    op, soql = body.get("operation"), body.get("query")
    if op not in _OPERATIONS:
        raise _invalid(f"Unknown operation: {op}; use query or queryAll")
    if not soql:
        raise _invalid("A query is required for a query job")
    if (body.get("contentType") or "CSV") != "CSV":
        raise _invalid("Content type must be CSV")
    delimiter, ending = body.get("columnDelimiter") or "COMMA", body.get("lineEnding") or "LF"
    if delimiter not in DELIMITERS:
        raise _invalid(f"Unknown columnDelimiter: {delimiter}")
    if ending not in _LINE_ENDINGS:
        raise _invalid(f"Unknown lineEnding: {ending}; use LF or CRLF")
    return op, soql, delimiter, ending


def create_job(ctx: Ctx, v: str) -> Response:
    """``POST /services/data/{v}/jobs/query``: runs the query, answers the job (UploadComplete)."""
    op, soql, delimiter, ending = _settings(read_json(ctx.request))
    state = ctx.state
    with state.lock:
        plan, rows = query_rows(ctx, v, soql, include_deleted=op == "queryAll")
        now = state.now_text()
        state.query_job_count += 1
        job_id = make_id(KEY_PREFIXES["Job"], 500_000 + state.query_job_count)
        info = {"id": job_id, "operation": op, "object": plan.object_name,
                "createdById": state.integration_user_id, "createdDate": now,
                "systemModstamp": now, "state": "UploadComplete", "concurrencyMode": "Parallel",
                "contentType": "CSV", "apiVersion": float(v[1:]), "lineEnding": ending,
                "columnDelimiter": delimiter}
        state.query_jobs[job_id] = {"info": info, "plan": plan, "rows": rows,
                                    "version": v}
        while len(state.query_jobs) > _KEPT_JOBS:  # Salesforce keeps them for days, not forever
            state.query_jobs.pop(next(iter(state.query_jobs)))
        return json_response(info)


def _job(ctx: Ctx, job_id: str) -> dict:
    job = ctx.state.query_jobs.get(job_id)
    if job is None:
        raise ApiError.of(404, "NOT_FOUND", "The requested resource does not exist")
    return job


def get_job(ctx: Ctx, v: str, job_id: str) -> Response:
    """``GET /services/data/{v}/jobs/query/{id}``: the first poll finds the job complete."""
    with ctx.state.lock:
        job = _job(ctx, job_id)
        info = job["info"]
        if info["state"] == "UploadComplete":
            info.update(state="JobComplete", systemModstamp=ctx.state.now_text(),
                        numberRecordsProcessed=len(job["rows"]), retries=0,
                        totalProcessingTime=0, jobType="V2Query")
        return json_response({**info, "jobType": "V2Query"})


def results(ctx: Ctx, v: str, job_id: str) -> Response:
    """``GET /services/data/{v}/jobs/query/{id}/results[?locator=&maxRecords=]``: CSV."""
    with ctx.state.lock:
        job = _job(ctx, job_id)
        if job["info"]["state"] != "JobComplete":
            raise ApiError.of(400, "INVALIDJOBSTATE", f"Job {job_id} is not complete; its "
                              f"state is {job['info']['state']}")
        if job["version"] != v:
            raise ApiError.of(409, "INVALIDVERSION", "Use the API version the job was "
                              f"created with ({job['version']})")
        start, stop = page_bounds(ctx, len(job["rows"]))
        page = [cells(job["plan"], r) for r in job["rows"][start:stop]]
        info = job["info"]
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=DELIMITERS[info["columnDelimiter"]],
                        lineterminator=_LINE_ENDINGS[info["lineEnding"]], quoting=csv.QUOTE_ALL)
    writer.writerow(job["plan"].columns)
    writer.writerows(page)
    ctx.served(len(page))
    more = stop < len(job["rows"])
    locator = base64.urlsafe_b64encode(str(stop).encode()).decode().rstrip("=") if more else "null"
    return Response(buf.getvalue(), status=200, content_type="text/csv",
                    headers={"Sforce-Locator": locator, "Sforce-NumberOfRecords": str(len(page))})


def set_state(ctx: Ctx, v: str, job_id: str) -> Response:
    """``PATCH /services/data/{v}/jobs/query/{id}`` with ``{"state": "Aborted"}``."""
    body = read_json(ctx.request)
    wanted = body.get("state") if isinstance(body, dict) else None
    with ctx.state.lock:
        info = _job(ctx, job_id)["info"]
        if wanted != "Aborted" or info["state"] in ("JobComplete", "Failed", "Aborted"):
            raise ApiError.of(400, "INVALIDJOBSTATE", f"Cannot change the state of job "
                              f"{job_id} from {info['state']} to {wanted}")
        info.update(state="Aborted", systemModstamp=ctx.state.now_text())
        return json_response(info)


def delete_job(ctx: Ctx, v: str, job_id: str) -> Response:
    """``DELETE /services/data/{v}/jobs/query/{id}``: 204."""
    with ctx.state.lock:
        _job(ctx, job_id)
        del ctx.state.query_jobs[job_id]
    return Response(status=204)


def list_jobs(ctx: Ctx, v: str) -> Response:
    """``GET /services/data/{v}/jobs/query``."""
    with ctx.state.lock:
        infos = [{**j["info"], "jobType": "V2Query"} for j in ctx.state.query_jobs.values()]
    return json_response({"done": True, "records": infos, "nextRecordsUrl": None})


ROUTES = [
    ("POST", "/services/data/{v}/jobs/query", create_job),
    ("GET", "/services/data/{v}/jobs/query", list_jobs),
    ("GET", "/services/data/{v}/jobs/query/{job_id}", get_job),
    ("GET", "/services/data/{v}/jobs/query/{job_id}/results", results),
    ("PATCH", "/services/data/{v}/jobs/query/{job_id}", set_state),
    ("DELETE", "/services/data/{v}/jobs/query/{job_id}", delete_job),
]
