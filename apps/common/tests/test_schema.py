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
