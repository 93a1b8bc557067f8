"""The MkDocs hooks: where the site machinery plugs into the build (listed in mkdocs.yml).

The three fences (```diagram, ```runnable, ```live) are registered with SuperFences in
mkdocs.yml; everything else they need reaches the site from here.
"""

from pathlib import Path

from machinery import bundle, code_blocks, deferred, fence, figures, live, prefetch, tables
from machinery.diagram import font, svg
from machinery.runnable import configure, runtime, stdlib


def on_config(config):  # noqa: ANN001, ANN201 - MkDocs' hook signature
    fence.Build.root = Path(config.config_file_path).resolve().parent
    configure(config)
    bundle.link_bundle(config)
    return config


def on_pre_build(config):  # noqa: ANN001, ANN201
    figures.start_build()
    deferred.start_build()
    prefetch.start(Path(config.docs_dir))  # the snippet runs go on while the rest of the build does
    bundle.bundle()
    stdlib.prepare()  # and so does cutting the standard library, if it is not cached


def on_files(files, config):  # noqa: ANN001, ANN201
    bundle.add_bundle(files, config)
    font.add_to_site(files, config)
    runtime.add_runtime_files(files, config)
    return files


def on_env(env, config, files):  # noqa: ANN001, ANN201
    runtime.add_standard_library(files, config)
    env.globals["diagram_font"] = font.site_font()  # declared by the theme's main.html
    return env


def on_page_markdown(markdown, page, config, files):  # noqa: ANN001, ANN201, ARG001
    fence.start_page(page.file.src_uri)
    live.start_page()
    return figures.insert_figures(markdown)


def on_page_content(html, page, config, files):  # noqa: ANN001, ANN201, ARG001
    return code_blocks.prepare_blocks(tables.hold_tables(svg.share_icons(html)))


def on_post_build(config):  # noqa: ANN001, ANN201
    deferred.write_files(config.site_dir)
