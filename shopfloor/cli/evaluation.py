"""``shopfloor match-eval`` and ``shopfloor match-train``: how good the matcher is."""

from __future__ import annotations

import json
from pathlib import Path

import click

from shopfloor.cli import cli


@cli.command("match-eval")
@click.argument("pairs_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--repeats", default=10, show_default=True,
              help="Repeats of k-fold cross-validation (each with another shuffle).")
@click.option("--folds", default=5, show_default=True)
@click.option("--seed", default=0, show_default=True)
@click.option("--model", "model_path", type=click.Path(exists=True, dir_okay=False,
                                                       path_type=Path),
              help="Score the pairs with this trained model instead of cross-validating "
                   "(for a held-out file the model never saw).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
def match_eval(pairs_file: Path, repeats: int, folds: int, seed: int, model_path: Path | None,
               as_json: bool) -> None:
    """Precision, recall and F1 of the pair scorer on a labelled pair file (Open Supply Hub
    JSON or CSV left_name,left_address,left_country,right_name,right_address,right_country,
    is_match), by repeated stratified cross-validation: the scorer is always evaluated on
    pairs it was not trained on.

        shopfloor match-eval ../shared/data/oshub/dedupe_training_pairs.json
    """
    from shopfloor.linkage.evaluate import cross_validate, evaluate_with_model, read_pairs
    from shopfloor.linkage.scorer import PairScorer

    try:
        pairs = read_pairs(pairs_file)
        if model_path:
            result = evaluate_with_model(pairs, PairScorer.load(model_path))
        else:
            result = cross_validate(pairs, repeats=repeats, folds=folds, seed=seed)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(f"{result['pairs']} labelled pairs ({result['matches']} matches)")
    if model_path:
        click.echo(f"model {model_path}, threshold {result['threshold']}")
        for k in ("precision", "recall", "f1"):
            click.echo(f"  {k:<9} {result[k]:.3f}")
        return
    click.echo(f"{result['repeats']} × stratified {result['folds']}-fold cross-validation "
               f"(seed {result['seed']}, threshold {result['threshold']}, copies of a pair "
               f"in one fold)")
    click.echo(f"  {'':<9} {'mean':>6} {'± sd':>7} {'min':>6} {'max':>6}")
    for k in ("precision", "recall", "f1"):
        s = result[k]
        click.echo(f"  {k:<9} {s['mean']:6.3f} {s['std']:7.3f} {s['min']:6.3f} {s['max']:6.3f}")
    f = result["fold_f1"]
    click.echo(f"  F1 of single folds: {f['mean']:.3f} ± {f['std']:.3f} "
               f"({f['min']:.3f}–{f['max']:.3f})")


@cli.command("match-train")
@click.argument("pairs_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the model JSON.")
@click.option("--seed", default=0, show_default=True)
def match_train(pairs_file: Path, out: Path, seed: int) -> None:
    """Train the pair scorer on all pairs of a labelled file and save it as JSON. The
    shipped model is rebuilt with:

        shopfloor match-train ../shared/data/oshub/dedupe_training_pairs.json \\
            --out shopfloor/linkage/models/facility_pairs.json
    """
    import hashlib

    from shopfloor.linkage.evaluate import cross_validate, read_pairs, train

    try:
        pairs = read_pairs(pairs_file)
        scorer = train(pairs, source=pairs_file.name, seed=seed)
        cv = cross_validate(pairs, repeats=10, folds=5, seed=seed)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    scorer.training.update(
        sha256=hashlib.sha256(pairs_file.read_bytes()).hexdigest(),
        command=f"shopfloor match-train {pairs_file} --out {out} --seed {seed}",
        # What the training procedure achieves on pairs it did not see (10 × 5-fold).
        cross_validation={k: round(cv[k]["mean"], 4) for k in ("precision", "recall", "f1")},
    )
    scorer.save(out)
    click.echo(f"Trained on {scorer.training['pairs']} pairs "
               f"({scorer.training['matches']} matches), C={scorer.C:g}; wrote {out}")
    cvs = scorer.training["cross_validation"]
    click.echo(f"Cross-validated (10 × 5-fold): precision {cvs['precision']:.3f}, "
               f"recall {cvs['recall']:.3f}, F1 {cvs['f1']:.3f}")
    for name, coef in sorted(zip(scorer.feature_names, scorer.coef, strict=True),
                             key=lambda p: -abs(p[1]))[:8]:
        click.echo(f"  {name:<24} {coef:+.2f}")
