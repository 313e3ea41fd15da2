"""Gradient-descent family of solvers for smooth (optionally composite) objectives.

Every solver has the same signature::

    solver(fun, x0, *, max_iter, tol, learning_rate="auto", prox=None,
           callback=None) -> SolverResult

- ``fun(x) -> (f, g)`` returns the smooth objective and its gradient at the
  flat array ``x``.  The solvers know nothing else about the problem: no
  labels, no classes, no data.
- ``prox``, when given, is a :class:`Prox`: the objective becomes
  ``f(x) + prox.value(x)`` and each step is a proximal-gradient step.  This is
  how non-smooth penalties (L1) plug in.  ``"lbfgs"`` is smooth only.
- The stopping rule is ``max |G(x)| <= tol`` where ``G`` is the gradient of the
  objective (with ``prox``: the distance of ``-g`` to the subdifferential of the
  non-smooth term when the ``Prox`` provides it, else the gradient mapping
  ``(x - prox(x - t g, t)) / t``).  ``tol=0`` therefore runs ``max_iter``
  iterations.
- A solver also stops when no step can decrease the objective any further at
  the precision of the dtype (``status="stalled"``), and a fixed
  ``learning_rate`` that makes the objective non-finite or larger than at the
  start stops with ``status="diverged"``.  The caller decides what to tell the
  user.

The iterates stay in the array namespace and on the device of ``x0``; the
solvers only read scalars back (objective values, inner products, the
stopping measure), a bounded number per evaluation.

Solvers evaluate trial points that may overflow (a line search probing a step
that is far too long); such points are rejected, so floating point warnings
are silenced inside the solvers and non-finite values are checked explicitly.
"""

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ._array_api import get_namespace

__all__ = ["Prox", "SolverResult", "gd", "agd", "lbfgs", "SOLVERS"]


@dataclass(frozen=True)
class Prox:
    """A non-smooth term ``h`` for proximal-gradient steps.

    Parameters
    ----------
    prox : callable
        ``prox(x, step)`` returns ``argmin_u h(u) + ||u - x||^2 / (2 step)``.
    value : callable
        ``value(x)`` returns ``h(x)``.
    subgradient_distance : callable or None, default=None
        ``subgradient_distance(x, g)`` returns, per coordinate, the distance of
        ``-g`` to the subdifferential of ``h`` at ``x``: the violation of the
        optimality (KKT) conditions, zero exactly at a minimiser.  When given,
        its largest entry is the stopping measure; else the gradient mapping.
    """

    prox: Callable
    value: Callable
    subgradient_distance: Callable | None = None


@dataclass
class SolverResult:
    """What every solver returns.

    Attributes
    ----------
    x : ndarray
        Final iterate.
    fun : float
        Objective at ``x`` (including the ``prox`` term, if any).
    optimality : float
        ``max |G(x)|``: the stopping measure at ``x``.
    n_iter : int
        Number of iterations (accepted steps).
    n_fun : int
        Number of calls of ``fun``.
    loss_history : ndarray of shape (n_iter,)
        Objective after each iteration.
    optimality_history : ndarray of shape (n_iter,)
        ``max |G(x)|`` after each iteration.
    status : {"converged", "max_iter", "stalled", "diverged"}
        Why the solver stopped.
    """

    x: np.ndarray
    fun: float
    optimality: float
    n_iter: int
    n_fun: int
    loss_history: np.ndarray = field(repr=False)
    optimality_history: np.ndarray = field(repr=False)
    status: str


class _Problem:
    """Counts evaluations, adds the prox term, and isolates overflow."""

    def __init__(self, fun, prox, x0):
        self._fun = fun
        self.prox = prox
        self.n_fun = 0
        self.xp, _ = get_namespace(x0)
        self.eps = self.xp.finfo(x0.dtype).eps
        self._zeros = self.xp.zeros_like(x0)

    def all_finite(self, x):
        """Whether every entry of ``x`` is finite: ``x @ 0`` is 0, unless an
        entry is inf or nan (``inf * 0 = nan``).  One inner product, one read."""
        return math.isfinite(float(x @ self._zeros))

    def __call__(self, x):
        self.n_fun += 1
        if not self.all_finite(x):  # a trial step overflowed: reject it
            return math.inf, x
        f, g = self._fun(x)
        if self.prox is not None:
            f += self.prox.value(x)
        return f, g

    def step(self, x, g, t):
        """Return the (proximal) gradient step from ``x`` of length ``t``."""
        x_new = x - t * g
        if self.prox is not None:
            x_new = self.prox.prox(x_new, t)
        return x_new

    def optimality(self, x, g, t):
        """``max |G(x)|``: the gradient; with ``prox`` the optimality violation
        (``Prox.subgradient_distance``) or else the gradient mapping."""
        if self.prox is None:
            return _max_abs(self.xp, g)
        if self.prox.subgradient_distance is not None:
            return _max_abs(self.xp, self.prox.subgradient_distance(x, g))
        return _max_abs(self.xp, x - self.step(x, g, t)) / t

    def dot(self, a, b):
        """Inner product in float64, as a Python float: float32 data cannot
        overflow.  One scalar read from the device."""
        xp = self.xp
        if a.dtype != xp.float64:
            a, b = xp.astype(a, xp.float64), xp.astype(b, xp.float64)
        return float(a @ b)

    def finite(self, f, g):
        return math.isfinite(f) and self.all_finite(g)


def _quiet(solver):
    """Run ``solver`` with floating point warnings off: trial points that
    overflow are expected, and every accepted iterate is checked finite."""

    @functools.wraps(solver)
    def wrapper(*args, **kwargs):
        with np.errstate(all="ignore"):
            return solver(*args, **kwargs)

    return wrapper


def _max_abs(xp, x):
    """``max |x|`` as a Python float (0 for an empty ``x``)."""
    return float(xp.max(xp.abs(x))) if x.shape[0] else 0.0


def _sufficient_decrease(problem, f_new, g_new, f, g, d, expected, prox_change=0.0):
    """Armijo test ``f_new <= f + expected``, robust to rounding in ``f``.

    Near the optimum the change of ``f`` drowns in its rounding errors, while
    gradients stay accurate.  When ``f_new`` lies within ``sqrt(eps) |f|`` of
    ``f``, the change is estimated instead by the trapezoid rule
    ``(g + g_new) . d / 2`` (exact for quadratics; the approximate Wolfe
    condition of Hager & Zhang, 2005).  ``d = x_new - x``; ``prox_change`` is
    the change of the non-smooth term, already included in ``f`` and ``f_new``.
    """
    if not problem.finite(f_new, g_new):
        return False
    if f_new <= f + expected:
        return True
    if f_new - f > math.sqrt(problem.eps) * abs(f):
        return False
    trapezoid = 0.5 * (problem.dot(g, d) + problem.dot(g_new, d))
    return trapezoid + prox_change <= expected


class _Progress:
    """Detects a solver that no longer makes progress at this precision.

    Stalled: neither the objective nor the optimality measure has reached a
    new best value for ``patience`` iterations.
    """

    def __init__(self, f, opt, patience=50):
        self.best_f, self.best_opt = f, opt
        self.patience = patience
        self.since_best = 0

    def stalled(self, f, opt):
        if f < self.best_f or opt < self.best_opt:
            self.best_f = min(f, self.best_f)
            self.best_opt = min(opt, self.best_opt)
            self.since_best = 0
        else:
            self.since_best += 1
        return self.since_best >= self.patience


class _StepSize:
    """Backtracking step size shared by ``gd`` and ``agd``.

    A float ``learning_rate`` is used as it is.  ``"auto"`` starts at 1, halves
    until the descent lemma holds, and grows again after a step accepted at the
    first try: by 2 until the first backtrack, by 1.25 after it.
    """

    max_halvings = 60

    def __init__(self, learning_rate):
        self.fixed = learning_rate != "auto"
        self.t = float(learning_rate) if self.fixed else 1.0
        self._grow = 2.0

    def step(self, problem, x, f, g):
        """Return ``(x_new, f_new, g_new)``, or ``None`` if no step is found."""
        if self.fixed:
            x_new = problem.step(x, g, self.t)
            f_new, g_new = problem(x_new)
            return x_new, f_new, g_new
        for tries in range(self.max_halvings):
            x_new = problem.step(x, g, self.t)
            f_new, g_new = problem(x_new)
            d = x_new - x
            prox_change = 0.0
            if problem.prox is not None:
                prox_change = problem.prox.value(x_new) - problem.prox.value(x)
            # descent lemma: f_new <= f + g.d + ||d||^2 / (2t) (+ prox change)
            expected = problem.dot(g, d) + problem.dot(d, d) / (2 * self.t)
            expected += prox_change
            if _sufficient_decrease(
                problem, f_new, g_new, f, g, d, expected, prox_change
            ):
                if tries == 0:
                    self.t *= self._grow
                else:
                    self._grow = 1.25
                return x_new, f_new, g_new
            self.t *= 0.5
        return None


def _start(fun, x0, prox, learning_rate):
    """What ``gd`` and ``agd`` begin with: the problem, the step sizes, and the
    starting point with its objective, gradient and optimality."""
    problem = _Problem(fun, prox, x0)
    steps = _StepSize(learning_rate)
    x = problem.xp.asarray(x0, copy=True)
    f, g = problem(x)
    opt = problem.optimality(x, g, steps.t)
    return problem, steps, x, f, g, opt, _Progress(f, opt)


def _record(history, callback, k, x, f, opt, t):
    history.append((f, opt))
    if callback is not None:
        callback(k, x, f, opt, t)


def _result(x, f, opt, tol, history, problem, status):
    if opt <= tol and status == "max_iter":
        status = "converged"
    return SolverResult(
        x=x,
        fun=float(f),
        optimality=opt,
        n_iter=len(history),
        n_fun=problem.n_fun,
        loss_history=np.array([f for f, _ in history], dtype=np.float64),
        optimality_history=np.array([o for _, o in history], dtype=np.float64),
        status=status,
    )


@_quiet
def gd(fun, x0, *, max_iter, tol, learning_rate="auto", prox=None, callback=None):
    """Batch (proximal) gradient descent.

    ``x_{k+1} = x_k - t * grad f(x_k)`` (followed by ``prox`` when given).
    With a float ``learning_rate`` the step ``t`` is that number: the textbook
    algorithm.  With ``"auto"`` it is found by backtracking on the descent
    lemma, so the objective decreases at every iteration.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> (f, g)``: smooth objective and gradient.
    x0 : ndarray
        Starting point (not modified).
    max_iter : int
        Maximum number of iterations.
    tol : float
        Stop when ``max |G(x)| <= tol``.
    learning_rate : float or "auto", default="auto"
        Step size, or backtracking.
    prox : Prox or None, default=None
        Non-smooth term.
    callback : callable or None, default=None
        Called as ``callback(k, x, f, optimality, step)`` after iteration ``k``
        (1-based).

    Returns
    -------
    result : SolverResult

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._solvers import gd
    >>> quadratic = lambda x: (0.5 * x @ x - x.sum(), x - 1)
    >>> res = gd(quadratic, np.zeros(3), max_iter=100, tol=1e-10)
    >>> res.status, res.x
    ('converged', array([1., 1., 1.]))
    """
    problem, steps, x, f, g, opt, progress = _start(fun, x0, prox, learning_rate)
    f0 = f
    history = []
    status = "max_iter"
    for k in range(1, max_iter + 1):
        if opt <= tol:
            break
        stepped = steps.step(problem, x, f, g)
        if stepped is None:
            status = "stalled"
            break
        x, f, g = stepped
        if steps.fixed and not (problem.finite(f, g) and f <= f0):
            status = "diverged"
            break
        opt = problem.optimality(x, g, steps.t)
        _record(history, callback, k, x, f, opt, steps.t)
        if progress.stalled(f, opt):
            status = "stalled"
            break
    return _result(x, f, opt, tol, history, problem, status)


@_quiet
def agd(fun, x0, *, max_iter, tol, learning_rate="auto", prox=None, callback=None):
    """Nesterov-accelerated (proximal) gradient descent with adaptive restart.

    FISTA: the gradient step is taken from the extrapolated point
    ``y_k = x_k + (theta_{k-1} - 1) / theta_k * (x_k - x_{k-1})``.  When a step
    would increase the objective the momentum is reset (function restart,
    O'Donoghue & Candes 2015) and the step is retaken from ``x_k``, so the
    objective decreases monotonically.  Step sizes as :func:`gd`.

    Parameters and return value as :func:`gd`.

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._solvers import agd
    >>> quadratic = lambda x: (0.5 * x @ x - x.sum(), x - 1)
    >>> res = agd(quadratic, np.zeros(3), max_iter=100, tol=1e-10)
    >>> res.status, res.x
    ('converged', array([1., 1., 1.]))
    """
    problem, steps, x, f, g, opt, progress = _start(fun, x0, prox, learning_rate)
    f0 = f
    y, f_y, g_y = x, f, g
    theta = 1.0
    history = []
    status = "max_iter"
    for k in range(1, max_iter + 1):
        if opt <= tol:
            break
        stepped = steps.step(problem, y, f_y, g_y)
        if (stepped is None or not stepped[1] <= f) and theta > 1.0:
            # momentum overshot: restart with a plain gradient step from x
            theta = 1.0
            stepped = steps.step(problem, x, f, g)
        if stepped is None:
            status = "stalled"
            break
        x_prev, (x, f, g) = x, stepped
        if steps.fixed and not (problem.finite(f, g) and f <= f0):
            status = "diverged"
            break
        theta_next = 0.5 * (1.0 + math.sqrt(1.0 + 4.0 * theta**2))
        beta = (theta - 1.0) / theta_next
        theta = theta_next
        y, f_y, g_y = x, f, g
        if beta > 0:
            y_try = x + beta * (x - x_prev)
            f_try, g_try = problem(y_try)
            if problem.finite(f_try, g_try):
                y, f_y, g_y = y_try, f_try, g_try
        opt = problem.optimality(x, g, steps.t)
        _record(history, callback, k, x, f, opt, steps.t)
        if progress.stalled(f, opt):
            status = "stalled"
            break
    return _result(x, f, opt, tol, history, problem, status)


def _two_loop(xp, g, s_list, y_list, rho_list):
    """L-BFGS two-loop recursion: return ``-H g``.

    The pairs are stored in float64 (so float32 problems cannot overflow
    here); the direction is returned in the dtype of ``g``.  The scalars stay
    0-d arrays on the device: no reads.
    """
    q = xp.astype(g, xp.float64)
    alphas = []
    for s, y, rho in zip(
        reversed(s_list), reversed(y_list), reversed(rho_list), strict=True
    ):
        alpha = rho * (s @ q)
        q -= alpha * y
        alphas.append(alpha)
    s, y = s_list[-1], y_list[-1]
    q *= (s @ y) / (y @ y)
    pairs = zip(s_list, y_list, rho_list, reversed(alphas), strict=True)
    for s, y, rho, alpha in pairs:
        beta = rho * (y @ q)
        q += (alpha - beta) * s
    return xp.astype(-q, g.dtype, copy=False)


def _first_step(problem, g):
    """Trial step along ``-g`` without curvature information: ``1 / ||g||_2``,
    as scipy's L-BFGS-B (a unit change of the coefficients)."""
    norm = math.sqrt(problem.dot(g, g))
    return 1.0 / norm if norm > 0 else 1.0


def _cubic_minimizer(a, f_a, s_a, b, f_b, s_b):
    """Minimiser of the cubic with values ``f`` and slopes ``s`` at ``a`` and ``b``.

    Nocedal & Wright (2006), eq. 3.59; None where the cubic has no minimiser.
    """
    if a == b or not all(map(math.isfinite, (f_a, s_a, f_b, s_b))):
        return None
    d1 = s_a + s_b - 3 * (f_a - f_b) / (a - b)
    discriminant = d1 * d1 - s_a * s_b
    if not discriminant >= 0:
        return None
    d2 = math.copysign(math.sqrt(discriminant), b - a)
    denominator = s_b - s_a + 2 * d2
    if denominator == 0:
        return None
    return b - (b - a) * (s_b + d2 - d1) / denominator


def _wolfe_line_search(problem, x, f, g, d, t, c1=1e-4, c2=0.9, max_tries=40):
    """Strong Wolfe line search: bracket, then zoom by safeguarded cubic steps.

    Nocedal & Wright (2006), algorithms 3.5 and 3.6, with the Armijo test of
    :func:`_sufficient_decrease`.  ``lo`` is the best step known to decrease the
    objective enough, ``hi`` the other end of a bracket of acceptable steps.
    Returns ``(x_new, f_new, g_new)``, the best sufficient decrease found if no
    step satisfies both conditions, or None.
    """
    slope = problem.dot(g, d)
    lo = (0.0, f, slope, None)  # (step, objective, slope, (x, f, g))
    hi = None
    last_width = np.inf
    for _ in range(max_tries):
        x_new = x + t * d
        f_new, g_new = problem(x_new)
        decrease = c1 * t * slope
        if not _sufficient_decrease(problem, f_new, g_new, f, g, t * d, decrease):
            # a non-finite objective or slope leaves the cubic step out
            hi = (t, f_new, problem.dot(g_new, d))
        else:
            slope_new = problem.dot(g_new, d)
            if abs(slope_new) <= -c2 * slope:
                return x_new, f_new, g_new
            point = (t, f_new, slope_new, (x_new, f_new, g_new))
            if slope_new * ((t if hi is None else hi[0]) - lo[0]) >= 0:
                hi = lo[:3]  # the acceptable steps lie between the old lo and t
            lo = point
        if hi is None:
            t = 4.0 * t  # no bracket yet: extrapolate
            continue
        width = abs(hi[0] - lo[0])
        trial = None
        if width <= 0.66 * last_width:
            trial = _cubic_minimizer(lo[0], lo[1], lo[2], *hi)
        low, high = sorted((lo[0], hi[0]))
        if trial is not None and low < trial < high:
            # the cubic step, kept off the ends of the bracket
            t = min(max(trial, low + 1e-3 * width), high - 1e-3 * width)
        else:
            t = 0.5 * (low + high)  # bisect: also when the bracket shrinks slowly
        last_width = width
    return lo[3]


@_quiet
def lbfgs(
    fun, x0, *, max_iter, tol, learning_rate="auto", prox=None, callback=None, memory=10
):
    """Limited-memory BFGS on the same gradients.

    The search direction comes from the two-loop recursion over the last
    ``memory`` pairs of steps and gradient changes; the step length from a strong
    Wolfe line search starting at 1 (at ``1 / ||g||_2`` for the first step, as
    scipy's L-BFGS-B).

    Parameters and return value as :func:`gd`; ``learning_rate`` must be
    ``"auto"`` and ``prox`` must be None (L-BFGS needs a smooth objective).

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._solvers import lbfgs
    >>> quadratic = lambda x: (0.5 * x @ x - x.sum(), x - 1)
    >>> res = lbfgs(quadratic, np.zeros(3), max_iter=100, tol=1e-10)
    >>> res.status, res.x
    ('converged', array([1., 1., 1.]))
    """
    if prox is not None:
        raise ValueError("lbfgs needs a smooth objective; use gd or agd with prox.")
    if learning_rate != "auto":
        raise ValueError(
            "lbfgs chooses its steps by line search; it takes no fixed learning_rate."
        )
    problem = _Problem(fun, None, x0)
    xp = problem.xp
    x = xp.asarray(x0, copy=True)
    f, g = problem(x)
    s_list, y_list, rho_list = [], [], []
    history = []
    status = "max_iter"
    opt = problem.optimality(x, g, 1.0)
    progress = _Progress(f, opt)
    for k in range(1, max_iter + 1):
        if opt <= tol:
            break
        if s_list:
            d = _two_loop(xp, g, s_list, y_list, rho_list)
            t = 1.0
            if not problem.dot(g, d) < 0:  # not a descent direction: reset
                s_list, y_list, rho_list = [], [], []
        if not s_list:
            d = -g
            t = _first_step(problem, g)
        searched = _wolfe_line_search(problem, x, f, g, d, t)
        if searched is None:
            if s_list:  # retry once along the steepest descent direction
                s_list, y_list, rho_list = [], [], []
                d = -g
                t = _first_step(problem, g)
                searched = _wolfe_line_search(problem, x, f, g, d, t)
            if searched is None:
                status = "stalled"
                break
        x_new, f_new, g_new = searched
        s, y = x_new - x, g_new - g
        sy = problem.dot(s, y)
        if sy > problem.eps * problem.dot(y, y):
            s_list.append(xp.astype(s, xp.float64))
            y_list.append(xp.astype(y, xp.float64))
            rho_list.append(1.0 / sy)
            if len(s_list) > memory:
                del s_list[0], y_list[0], rho_list[0]
        x, f, g = x_new, f_new, g_new
        opt = problem.optimality(x, g, 1.0)
        step = _max_abs(xp, s) if callback is not None else math.nan
        _record(history, callback, k, x, f, opt, step)
        if progress.stalled(f, opt):
            status = "stalled"
            break
    return _result(x, f, opt, tol, history, problem, status)


SOLVERS = {"gd": gd, "agd": agd, "lbfgs": lbfgs}
