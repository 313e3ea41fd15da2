"""Per-iteration reporting: the ``verbose`` trace and scikit-learn's callbacks.

scikit-learn 1.9 added a callback API (``sklearn.callback``: ``ProgressBar``,
``ScoringMonitor``, ``est.set_callbacks(...)``).  With an older scikit-learn the
mixin below is empty and the estimator works unchanged.
"""

import math

try:
    from sklearn.callback import CallbackSupportMixin
except ImportError:  # scikit-learn < 1.9

    class CallbackSupportMixin:
        """Placeholder: this scikit-learn has no callback API."""

        def _init_callback_context(self, **kwargs):
            return None


__all__ = ["CallbackSupportMixin", "FitMonitor"]


class FitMonitor:
    """The solvers' ``callback``: prints the trace and calls scikit-learn's hooks.

    One fit task with one subtask per iteration, as scikit-learn's own
    ``LogisticRegression`` reports its lbfgs iterations.  ``unpack(x)`` turns
    the solver's flat coefficients into ``{"coef_": ..., "intercept_": ...}``.
    """

    def __init__(self, estimator, X, y, sample_weight, unpack, max_iter, verbose):
        self.estimator = estimator
        self.X, self.y = X, y
        self.metadata = (
            None if sample_weight is None else {"sample_weight": sample_weight}
        )
        self.unpack = unpack
        self.verbose = verbose
        self.context = estimator._init_callback_context(max_subtasks=max_iter)
        callbacks = getattr(self.context, "_callbacks", True)
        self.hooks = self.context is not None and bool(callbacks)
        if self.hooks:
            self.context.call_on_fit_task_begin(
                estimator=estimator, X=X, y=y, metadata=self.metadata
            )

    @property
    def active(self):
        """Whether anything is to be done per iteration."""
        return bool(self.verbose) or self.hooks

    def __call__(self, iteration, x, objective, optimality, step):
        if self.verbose:
            cadence = 10 ** int(math.log10(iteration)) if self.verbose == 1 else 1
            if iteration % cadence == 0:
                print(
                    f"iter {iteration:6d}  objective {objective:.10g}  "
                    f"max|grad| {optimality:.3e}  step {step:.3e}"
                )
        if self.hooks:
            context = self.context.subcontext(task_name="iteration")
            kwargs = {"estimator": self.estimator, "X": self.X, "y": self.y,
                      "metadata": self.metadata}  # fmt: skip
            context.call_on_fit_task_begin(**kwargs)
            context.call_on_fit_task_end(
                **kwargs, reconstruction_attributes=lambda: self.unpack(x)
            )

    def close(self):
        """End the fit task (the estimator itself is the fitted estimator)."""
        if self.hooks:
            self.context.call_on_fit_task_end(
                estimator=self.estimator,
                X=self.X,
                y=self.y,
                metadata=self.metadata,
                reconstruction_attributes={},
            )
