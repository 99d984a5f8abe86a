//! The report's tests: the hand-computed fixture, edge cases, and the rendered chart.

mod edges;
mod fixture;
mod render;
mod support;
