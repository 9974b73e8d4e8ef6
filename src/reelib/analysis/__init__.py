"""Analysis: numbers only -- shares and concentration, editions, reserves, supply chain,
trade dependence, prices and claims. Nothing here writes a sentence; ``reelib.present``
turns these numbers into prose, tables and figures."""
