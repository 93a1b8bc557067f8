"""MkDocs hooks: the one place where the site machinery plugs into the build."""
