"""Placeholder until the runnable widget lands (issue 4)."""


def fence_validator(language, inputs, options, attrs, md):
    raise NotImplementedError("runnable fence")


def fence_format(source, language, css_class, options, md, **kwargs):
    raise NotImplementedError("runnable fence")
