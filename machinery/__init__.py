"""Site machinery: the MkDocs hooks, fences and page assets that turn docs/, diagrams/ and snippets/ into the site."""
