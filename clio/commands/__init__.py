"""Command glue beside the CLI: what `clio demo`, `suite`, `coverage`, `audit` and `classify` do, each a few calls
into `clio.pipeline` (the workspace), the stages and `domains/`."""
