"""rdkg's composition root: the ``rdkg`` command (:mod:`rdkg.cli`), which composes every layer's commands."""
