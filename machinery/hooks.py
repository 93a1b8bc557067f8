"""MkDocs hooks: the one place where the site machinery plugs into the build."""

from machinery import diagram_build, figures, live, runnable


def on_config(config):
    runnable.configure(config)
    return config


def on_pre_build(config):
    figures.start_build()


def on_files(files, config):
    return runnable.add_runtime_files(files, config)


def on_page_markdown(markdown, page, config, files):
    runnable.settings.page = page.file.src_uri
    live.start_page()
    return figures.insert_figures(markdown, page.file.src_uri)


def on_page_content(html, page, config, files):
    return diagram_build.share_icons(html)
