// Plotly (served from this origin by /dashboard/vendor/plotly.min.js), loaded when a view first draws a chart (the
// flows table does not wait for 4 MB of charting code), with the page's defaults.

const CONFIG = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };
// Colour is never the only carrier of meaning: each series also has its own marker symbol and dash.
export const SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross", "pentagon"];
export const DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"];

let loading = null;

export function plotly() {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "/dashboard/vendor/plotly.min.js";
    script.onload = () => (window.Plotly ? resolve(window.Plotly) : reject(new Error("plotly.min.js defined no Plotly")));
    script.onerror = () => {
      loading = null;
      reject(new Error("the charting library (/dashboard/vendor/plotly.min.js) did not load"));
    };
    document.head.append(script);
  });
  return loading;
}

export async function draw(el, traces, layout) {
  return (await plotly()).newPlot(el, traces, {
    margin: { t: 30, r: 20, b: 60, l: 70 }, font: { family: "system-ui, sans-serif", size: 13 },
    legend: { orientation: "h", y: -0.2 }, ...layout,
  }, CONFIG);
}
