"""Claims (申报): what enterprises file and officials decide, through the workflow engine."""
