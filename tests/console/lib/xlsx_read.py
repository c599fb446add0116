#!/usr/bin/python3
"""xlsx_read.py FILE - prints what a person opening the workbook gets, as
JSON: the sheet's name, the frozen cell, the autofilter's range, the header
row and every row (dates as ISO text, each cell with whether it is a real
date cell and its number format). Uses Debian's python3-openpyxl."""
import json
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
rows = []
for row in ws.iter_rows(min_row=2):
    rows.append([{"v": c.value.isoformat() if c.is_date and c.value is not None else c.value,
                  "date": bool(c.is_date and c.value is not None), "fmt": c.number_format} for c in row])
print(json.dumps({
    "sheet": ws.title,
    "freeze": ws.freeze_panes,
    "filter": ws.auto_filter.ref,
    "head": [c.value for c in ws[1]],
    "bold": all(c.font.b for c in ws[1]),
    "rows": rows,
}, ensure_ascii=False))
