//! How long documents take to generate: one act (target under 20 ms with font loading), 1 000 acts in one PDF (under 5 s), a 100-page registry extract (under 1 s).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use common::*;
use cpe_core::document::acts::{self, ActKind};
use cpe_core::document::{self, extract};
use criterion::{criterion_group, criterion_main, Criterion};

fn benches(c: &mut Criterion) {
    // The first act in a fresh process includes parsing the embedded fonts.
    let start = Instant::now();
    let first = acts::pdf(&act(ActKind::Complex), None, created()).unwrap();
    println!(
        "first act in the process (with font loading): {:?}, {} bytes",
        start.elapsed(),
        first.len()
    );

    c.bench_function("one act", |b| {
        let a = act(ActKind::Complex);
        b.iter(|| acts::pdf(&a, None, created()).unwrap())
    });

    let many: Vec<_> = (0..1000)
        .map(|n| {
            let mut a = act(if n % 2 == 0 {
                ActKind::Standalone
            } else {
                ActKind::Complex
            });
            a.number = format!("А-2025-{n:04}");
            a
        })
        .collect();
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    group.bench_function("1000 acts in one PDF", |b| {
        b.iter(|| acts::batch_pdf(&many, None, "Акты", created()).unwrap())
    });

    // About 21 rows a page: 2 100 rows make a 100-page extract.
    let e = extract(2100);
    let pages = document::page_count(&extract::document(&e, None, created()).unwrap());
    println!("extract of {} rows: {pages} pages", e.rows.len());
    group.bench_function("100-page extract", |b| {
        b.iter(|| extract::pdf(&e, None, created()).unwrap())
    });
    group.finish();
}

criterion_group!(documents, benches);
criterion_main!(documents);
