"""Placeholder until the diagram renderer lands (issue 3)."""


def fence_validator(language, inputs, options, attrs, md):
    raise NotImplementedError("diagram fence")


def fence_format(source, language, css_class, options, md, **kwargs):
    raise NotImplementedError("diagram fence")
