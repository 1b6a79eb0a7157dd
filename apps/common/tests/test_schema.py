import pytest
import yaml
from django.core.management import call_command


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    # --fail-on-warn: every endpoint's shapes must be derivable, not guessed.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/auth/token/", "post", {"200", "400", "401", "429"}),
        ("/api/tasks/", "get", {"200", "400", "401"}),
        ("/api/tasks/", "post", {"201", "400", "401"}),
        ("/api/tasks/{id}/", "patch", {"200", "400", "401", "404", "409"}),
        ("/api/tasks/{id}/", "delete", {"204", "401", "403", "404"}),
        ("/api/tasks/{id}/activity/", "get", {"200", "401", "404"}),
        ("/api/projects/{id}/", "patch", {"200", "400", "403", "404"}),
        ("/api/projects/{project_id}/members/", "post", {"201", "400", "403", "404"}),
        ("/api/projects/{project_id}/members/{user_id}/", "delete", {"204", "400", "403", "404"}),
    ],
)
def test_schema_documents_answers(schema, path, method, codes):
    assert codes <= set(schema["paths"][path][method]["responses"])


def test_schema_declares_bearer_jwt(schema):
    assert schema["components"]["securitySchemes"]["jwtAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }


def test_swagger_ui_is_served_with_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in response.content.decode()


# --- what Schemathesis found the schema did not say (apps/common/openapi.py, apps/common/pagination.py) -------------
@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/projects/", "get", {"400", "401", "404"}),  # page_size out of range, page past the end
        ("/api/notifications/", "get", {"400", "401", "404"}),
        ("/api/auth/logout/", "post", {"400", "401"}),  # a body that is not JSON
        ("/api/auth/token/refresh/", "post", {"400"}),
        ("/api/notifications/preferences/", "put", {"400", "401"}),
    ],
)
def test_schema_documents_the_answers_every_operation_of_its_kind_gives(schema, path, method, codes):
    assert codes <= set(schema["paths"][path][method]["responses"])


def test_schema_bounds_paging_and_cursors(schema):
    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in schema["paths"]["/api/notifications/"]["get"]["parameters"]
    }
    assert parameters["page"]["minimum"] == 1
    assert (parameters["page_size"]["minimum"], parameters["page_size"]["maximum"]) == (1, 200)
    assert parameters["after"]["minimum"] == 0
    assert parameters["after_seq"]["minimum"] == 0


def test_schema_names_the_notification_kinds_of_preferences(schema):
    email = schema["components"]["schemas"]["PreferencesRequest"]["properties"]["email"]
    assert set(email["properties"]) == {
        "task_assigned",
        "task_status_changed",
        "deadline_approaching",
        "comment_added",
        "mentioned",
    }
    assert email["additionalProperties"] is False
