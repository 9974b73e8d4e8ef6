"""One minimum-n rule for every p-value the project prints.

A p-value needs enough observations behind it: a trend needs at least ``MIN_N`` changes,
and a break test needs at least ``MIN_N`` changes on each side of the break. Below that a
test is not run and the page says why, instead of printing a p-value from six points.
"""

from __future__ import annotations

#: the fewest observations (changes) behind any p-value: a trend's, or each side of a break
MIN_N = 10
