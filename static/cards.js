// Data tables turn into cards on a phone (app.css, "Tables as cards"): each cell shows its
// column's heading, which this copies from the table's header into `data-label`. Without it
// the cards still show every value, only unlabelled.
for (const table of document.querySelectorAll("table.data")) {
  const labels = [];
  for (const row of table.tHead?.rows ?? []) {
    let column = 0;
    for (const th of row.cells) {
      while (labels[column]?.rowspan > 0) labels[column++].rowspan -= 1;
      const text = th.textContent.trim().replace(/\s+/g, " ");
      for (let i = 0; i < th.colSpan; i++, column++) {
        const above = labels[column]?.text;
        labels[column] = {
          text: above && above !== text ? `${above} · ${text}` : text,
          rowspan: th.rowSpan - 1,
        };
      }
    }
  }
  for (const body of [...table.tBodies, table.tFoot].filter(Boolean)) {
    for (const row of body.rows) {
      let column = 0;
      for (const cell of row.cells) {
        const label = labels[column]?.text;
        if (label && cell.colSpan === 1 && !cell.hasAttribute("data-label")) {
          cell.dataset.label = label;
        }
        column += cell.colSpan;
      }
    }
  }
}
