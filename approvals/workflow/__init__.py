"""The workflow engine: workflows as data (TOML), run on `transitions` machines.

This is the only package that imports `transitions`; it knows nothing of HTTP.
"""


def init_app(app) -> None:
    """Load every workflow file, once the features have registered what the files may name.

    Called last by create_app: a file naming a guard, field or effect that no feature
    registered is refused at start-up with its file and line.
    """
    from approvals.access.tasks import name_states
    from approvals.workflow.registry import WORKFLOWS, catalog, load_all, workflows

    app.extensions[WORKFLOWS] = load_all(app.config["WORKFLOWS_DIR"], catalog(app))
    name_states(lambda name, version, state: workflows().get(name, version).spec.label(state))
