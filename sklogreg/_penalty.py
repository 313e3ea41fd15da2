"""The L1 part of the elastic-net penalty, as a proximal term for the solvers.

The penalty on the coefficients ``W`` (never the intercept) is
``strength * ||W||_1``.  Its proximal operator is soft-thresholding, and the
optimality (KKT) conditions of ``f(x) + strength * ||W||_1`` at ``x`` are, per
coordinate ``j`` with gradient ``g_j`` of the smooth part ``f``:

- ``W_j != 0``: ``g_j + strength * sign(W_j) = 0``;
- ``W_j == 0``: ``|g_j| <= strength``;
- intercept: ``g_j = 0``.

``l1_subgradient_distance`` returns how far each condition is from holding.
"""

from ._array_api import get_namespace
from ._solvers import Prox

__all__ = ["soft_threshold", "l1_prox"]


def soft_threshold(x, threshold, xp=None):
    """``sign(x) * max(|x| - threshold, 0)``: the proximal operator of the L1 norm.

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._penalty import soft_threshold
    >>> soft_threshold(np.array([-3.0, -0.5, 0.0, 0.5, 3.0]), 1.0)
    array([-2., -0.,  0.,  0.,  2.])
    """
    xp, _ = get_namespace(x, xp=xp)
    return xp.sign(x) * xp.clip(xp.abs(x) - threshold, min=0.0)


def l1_prox(strength, penalised, xp=None):
    """The :class:`~sklogreg._solvers.Prox` of ``strength * ||x[penalised]||_1``.

    Parameters
    ----------
    strength : float
        Weight of the L1 norm (positive).
    penalised : slice
        The entries of the flat coefficients that are penalised (all but the
        intercept).
    xp : array namespace or None, default=None
        The namespace of the coefficients, when known: saves looking it up at
        every step.

    Returns
    -------
    prox : Prox

    Examples
    --------
    >>> import numpy as np
    >>> from sklogreg._penalty import l1_prox
    >>> h = l1_prox(0.5, slice(0, 2))  # the last entry is an intercept
    >>> x = np.array([2.0, -0.2, 3.0])
    >>> h.prox(x, 1.0), h.value(x)
    (array([ 1.5, -0. ,  3. ]), 1.1)
    >>> h.subgradient_distance(np.array([1.5, 0.0, 3.0]), np.array([-0.5, 0.2, 0.0]))
    array([0., 0., 0.])
    """

    def namespace(x):
        return get_namespace(x, xp=xp)[0]

    def prox(x, step):
        xp = namespace(x)
        out = xp.asarray(x, copy=True)
        out[penalised] = soft_threshold(x[penalised], strength * step, xp)
        return out

    def value(x):
        xp = namespace(x)
        return strength * float(xp.sum(xp.abs(x[penalised]), dtype=xp.float64))

    def subgradient_distance(x, g):
        xp = namespace(x)
        distance = xp.abs(g)
        w, g_w = x[penalised], g[penalised]
        distance[penalised] = xp.where(
            w != 0,
            xp.abs(g_w + strength * xp.sign(w)),
            xp.clip(xp.abs(g_w) - strength, min=0.0),
        )
        return distance

    return Prox(prox=prox, value=value, subgradient_distance=subgradient_distance)
