"""The README's workflow diagrams are the ones the loaded workflow files draw today."""

from pathlib import Path

from approvals import create_app
from approvals.workflow.diagram import mermaid
from approvals.workflow.registry import workflows
from tests.conftest import base_config

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_shows_each_workflow_as_its_file_draws_it(tmp_path):
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}"))
    text = README.read_text(encoding="utf-8")
    with app.app_context():
        for engine in workflows().latest():
            drawn = mermaid(engine.spec, "en")
            assert f"```mermaid\n{drawn}```" in text, (
                f"README.md's diagram of {engine.spec.name} is stale: regenerate it with"
                f" `flask --app approvals workflow-diagram {engine.spec.name} --lang en`"
            )
