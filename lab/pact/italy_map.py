"""The map of Italy from the npm package @svg-maps/italy (CC BY 4.0), read where npm put it."""
import json
import re
from functools import lru_cache
from pathlib import Path

from flask import current_app

# The package's location ids and our region slugs. Trentino-Alto Adige is one shape in the
# package; its two autonomous provinces are drawn as its northern (Bolzano) and southern
# (Trento) halves.
SLUGS = {
    "abruzzo": "abruzzo", "aosta-valley": "valle-d-aosta", "apulia": "puglia",
    "basilicata": "basilicata", "calabria": "calabria", "campania": "campania",
    "emilia-romagna": "emilia-romagna", "friuli-venezia-giulia": "friuli-venezia-giulia",
    "lazio": "lazio", "liguria": "liguria", "lombardy": "lombardia", "marche": "marche",
    "molise": "molise", "piedmont": "piemonte", "sardinia": "sardegna", "sicily": "sicilia",
    "tuscany": "toscana", "umbria": "umbria", "veneto": "veneto",
}
TRENTINO = "trentino-south-tyrol"
_NUMBER = re.compile(r"[-+]?\d*\.?\d+(?:e[-+]?\d+)?")


@lru_cache(maxsize=1)
def _load(path: str) -> dict:
    source = Path(path).read_text(encoding="utf-8")
    return json.loads(source[source.index("{"):source.rindex("}") + 1])


def italy_map() -> dict:
    """Return viewBox and shapes: (slug, path, clip) with clip None, 'north' or 'south'."""
    data = _load(str(current_app.config["NODE_MODULES_DIR"] / "@svg-maps" / "italy" / "index.js"))
    shapes = []
    for location in data["locations"]:
        if location["id"] == TRENTINO:
            top, bottom = _vertical_extent(location["path"])
            middle = (top + bottom) / 2
            shapes.append(("bolzano", location["path"], (top - 1, middle - top + 1)))
            shapes.append(("trento", location["path"], (middle, bottom - middle + 1)))
        else:
            shapes.append((SLUGS[location["id"]], location["path"], None))
    return {"view_box": data["viewBox"], "shapes": shapes}


def _vertical_extent(path: str) -> tuple[float, float]:
    """Top and bottom of a path made of relative moves and lines (the package's form)."""
    y, ys = 0.0, []
    for command in re.findall(r"[mlMLzZ][^mlMLzZ]*", path):
        numbers = [float(n) for n in _NUMBER.findall(command[1:])]
        for index in range(1, len(numbers), 2):
            y = numbers[index] if command[0] in "ML" else y + numbers[index]
            ys.append(y)
    return min(ys), max(ys)
