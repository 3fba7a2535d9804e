"""Bulk API 2.0 ingest jobs: create, upload CSV, close, poll, results, abort, delete."""

from __future__ import annotations

from werkzeug.wrappers import Response

from .bulk_process import DELIMITERS, parse_upload, process_rows, results_csv
from .errors import ApiError
from .schema_data import READ_ONLY_OBJECTS
from .http import Ctx, json_response, read_json
from .ids import KEY_PREFIXES, make_id

__all__ = ["ROUTES"]

_OPERATIONS = ("insert", "update", "upsert", "delete", "hardDelete")
_FINAL = ("JobComplete", "Failed", "Aborted")


def _invalid(message: str) -> ApiError:
    return ApiError.of(400, "INVALIDJOB", f"InvalidJob : {message}")


def _job(ctx: Ctx, job_id: str) -> dict:
    job = ctx.state.jobs.get(job_id)
    if job is None:
        raise ApiError.of(404, "NOT_FOUND", "The requested resource does not exist")
    return job


def _check_request(ctx: Ctx, body: dict) -> tuple[str, str, str | None]:
    for key in ("object", "operation", "externalIdFieldName", "contentType",
                "columnDelimiter", "lineEnding"):
        if body.get(key) is not None and not isinstance(body[key], str):
            raise _invalid(f"{key}: must be a string")
    obj, op = body.get("object"), body.get("operation")
    schema = ctx.state.schemas.get(obj or "")
    if schema is None or obj in READ_ONLY_OBJECTS:
        raise _invalid(f"Unsupported or unknown object: {obj}")
    if op not in _OPERATIONS:
        raise _invalid(f"Unknown operation: {op}; use one of {', '.join(_OPERATIONS)}")
    if (body.get("contentType") or "CSV") != "CSV":
        raise _invalid("Content type must be CSV")
    if body.get("lineEnding") not in (None, "LF", "CRLF"):
        raise _invalid(f"Unknown lineEnding: {body.get('lineEnding')}; use LF or CRLF")
    if (body.get("columnDelimiter") or "COMMA") not in DELIMITERS:
        raise _invalid(f"Unknown columnDelimiter: {body.get('columnDelimiter')}")
    ext = body.get("externalIdFieldName")
    if op == "upsert":
        fld = schema.field(ext or "")
        if not ext:
            raise _invalid(f"External ID was blank for {obj}. An External ID must be "
                           "specified for upsert.")
        if fld is None or not (fld.external_id or fld.type == "id"):
            raise _invalid(f"Field {ext} is not an External ID field on {obj}")
        ext = fld.name
    return schema.name, op, ext


def create_job(ctx: Ctx, v: str) -> Response:
    """``POST /services/data/{v}/jobs/ingest``."""
    body = read_json(ctx.request)
    if not isinstance(body, dict):
        raise _invalid("The request body must be a JSON object")
    obj, op, ext = _check_request(ctx, body)
    state = ctx.state
    with state.lock:
        now = state.now_text()
        job_id = make_id(KEY_PREFIXES["Job"], len(state.jobs) + 1)
        info = {"id": job_id, "operation": op, "object": obj,
                "createdById": state.integration_user_id, "createdDate": now,
                "systemModstamp": now, "state": "Open", "externalIdFieldName": ext,
                "concurrencyMode": "Parallel", "contentType": "CSV",
                "apiVersion": float(v[1:]), "jobType": "V2Ingest",
                "contentUrl": f"services/data/{v}/jobs/ingest/{job_id}/batches",
                "lineEnding": body.get("lineEnding") or "LF",
                "columnDelimiter": body.get("columnDelimiter") or "COMMA",
                "numberRecordsProcessed": 0, "numberRecordsFailed": 0, "retries": 0,
                "totalProcessingTime": 0, "apiActiveProcessingTime": 0,
                "apexProcessingTime": 0}
        state.jobs[job_id] = {"info": info, "upload": None, "results": [],
                              "allow_save": ctx.allow_save}
        return json_response(info)


def upload(ctx: Ctx, v: str, job_id: str) -> Response:
    """``PUT /services/data/{v}/jobs/ingest/{id}/batches``: 201, empty body."""
    data = ctx.request.get_data(as_text=True)
    with ctx.state.lock:
        job = _job(ctx, job_id)
        if job["info"]["state"] != "Open" or job["upload"] is not None:
            raise ApiError.of(409, "INVALIDJOBSTATE", "Job state is not Open or data was "
                              "already uploaded; create a new job for more data")
        job["upload"] = data
    ctx.served(max(0, sum(1 for line in data.splitlines() if line.strip()) - 1))
    return Response(status=201)


def _advance(ctx: Ctx, job: dict) -> None:
    info = job["info"]
    if info["state"] not in ("UploadComplete", "InProgress"):
        return
    if info["state"] == "UploadComplete":
        error = parse_upload(job, ctx.state.schemas)
        job["upload"] = None  # parsed rows are kept; the raw text is not needed any more
        if error:
            info.update(state="Failed", errorMessage=error)
            return
    wctx = ctx.state.write_context(api=True, lock_rate=ctx.settings.lock_error_rate,
                                   seed=ctx.settings.seed, allow_save=job["allow_save"])
    process_rows(wctx, job, ctx.settings.bulk_records_per_poll)
    finished = len(job["results"]) >= len(job["rows"])
    info.update(state="JobComplete" if finished else "InProgress",
                systemModstamp=ctx.state.now_text())


def get_job(ctx: Ctx, v: str, job_id: str) -> Response:
    """``GET /services/data/{v}/jobs/ingest/{id}``: each poll moves processing forward."""
    with ctx.state.lock:
        job = _job(ctx, job_id)
        _advance(ctx, job)
        return json_response(job["info"])


def set_state(ctx: Ctx, v: str, job_id: str) -> Response:
    """``PATCH /services/data/{v}/jobs/ingest/{id}`` with state UploadComplete or Aborted."""
    body = read_json(ctx.request)
    wanted = body.get("state") if isinstance(body, dict) else None
    with ctx.state.lock:
        job = _job(ctx, job_id)
        info = job["info"]
        if wanted == "UploadComplete" and info["state"] == "Open":
            info["state"] = "UploadComplete"
        elif wanted == "Aborted" and info["state"] not in _FINAL:
            info["state"] = "Aborted"
        else:
            raise ApiError.of(400, "INVALIDJOBSTATE", f"Cannot change the state of job "
                              f"{job_id} from {info['state']} to {wanted}")
        info["systemModstamp"] = ctx.state.now_text()
        return json_response(info)


def delete_job(ctx: Ctx, v: str, job_id: str) -> Response:
    """``DELETE /services/data/{v}/jobs/ingest/{id}``: 204 once the job is closed."""
    with ctx.state.lock:
        job = _job(ctx, job_id)
        if job["info"]["state"] in ("Open", "InProgress"):
            raise ApiError.of(400, "INVALIDJOBSTATE", "Only closed jobs can be deleted")
        del ctx.state.jobs[job_id]
    return Response(status=204)


def list_jobs(ctx: Ctx, v: str) -> Response:
    """``GET /services/data/{v}/jobs/ingest``."""
    with ctx.state.lock:
        infos = [j["info"] for j in ctx.state.jobs.values()]
        return json_response({"done": True, "records": infos, "nextRecordsUrl": None})


def _results(kind: str):
    def handler(ctx: Ctx, v: str, job_id: str) -> Response:
        with ctx.state.lock:
            job = _job(ctx, job_id)
            if job.get("upload") and "rows" not in job:  # aborted before processing started
                parse_upload(job, ctx.state.schemas)
            text = results_csv(job, kind)
        ctx.served(max(0, text.count("\n") - 1))
        return Response(text, status=200, content_type="text/csv")
    handler.__doc__ = f"``GET /services/data/{{v}}/jobs/ingest/{{id}}/{kind}``."
    return handler


ROUTES = [
    ("POST", "/services/data/{v}/jobs/ingest", create_job),
    ("GET", "/services/data/{v}/jobs/ingest", list_jobs),
    ("PUT", "/services/data/{v}/jobs/ingest/{job_id}/batches", upload),
    ("GET", "/services/data/{v}/jobs/ingest/{job_id}", get_job),
    ("PATCH", "/services/data/{v}/jobs/ingest/{job_id}", set_state),
    ("DELETE", "/services/data/{v}/jobs/ingest/{job_id}", delete_job),
    *[("GET", f"/services/data/{{v}}/jobs/ingest/{{job_id}}/{kind}", _results(kind))
      for kind in ("successfulResults", "failedResults", "unprocessedrecords")],
]
