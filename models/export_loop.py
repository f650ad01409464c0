"""The `main()` of an exported script: data, model, optimizer and the slides' training loop.

It mirrors models/trainer.py step for step where that decides the numbers:
the weights are made right after `torch.manual_seed(SEED)`, each epoch's order
is `torch.randperm` from its own generator seeded with SEED, the batches are
consecutive slices of that order, and a BatchNorm network skips a leftover
batch of one. Early stopping and the divergence guard behave as the trainer's.
"""

from __future__ import annotations

from models.export_parts import PREDICT_CODE
from models.export_reading import OUT_CHECK


def _early_stopping_check() -> str:
    return (
        "        # Early stopping: keep the weights with the best validation loss so far, and stop\n"
        "        # after EARLY_STOPPING epochs without a better one.\n"
        '        if row["valid_loss"] < best_loss:\n'
        '            best_loss, best_epoch = row["valid_loss"], epoch\n'
        "            best_state = copy.deepcopy(model.state_dict())\n"
        "        elif epoch - best_epoch >= EARLY_STOPPING:\n"
        "            model.load_state_dict(best_state)\n"
        '            status = "early_stopped"\n'
        '            print(f"stopped early: no better validation loss since epoch {best_epoch}")\n'
        "            break\n"
    )


def main_code(
    task: str,
    optimizer: str,
    init: bool,
    batchnorm: bool,
    clip_grad: float,
    early_stopping: int | None,
    threads: int | None = None,
    small_step: bool = False,
) -> str:
    """The script's main(): read the CSV files, train EPOCHS epochs, evaluate, save, report.

    `optimizer` is the optimizer's constructor call; `init` adds init_weights(model);
    `threads` pins torch's thread count to NN Lab's for this run (models/threads.py): another
    count sums a matrix product in another order, and the last digits of the metric move.
    """
    classify = task != "regression"
    predict = PREDICT_CODE[task].split("  #")[0].replace("output", "output.detach()")
    lines = [
        "def main():",
        '    parser = argparse.ArgumentParser(description="Train the network NN Lab exported.")',
        "    parser.add_argument(",
        '        "--data",',
        '        default=".",',
        '        help=f"folder with {TRAIN_FILE} and {VALID_FILE} (default: the current folder)",',
        "    )",
        '    parser.add_argument("--out", default="model.pth", help="where to save the state_dict")',
        '    parser.add_argument("--json", action="store_true", help="end with one JSON line")',
        "    args = parser.parse_args()",
        *OUT_CHECK,
        "",
        '    X_train, y_train = load_split(f"{args.data}/{TRAIN_FILE}")',
        '    X_valid, y_valid = load_split(f"{args.data}/{VALID_FILE}")',
        "    if N_TRAIN is not None and (len(X_train), len(X_valid)) != (N_TRAIN, N_VALID):",
        "        print(",
        '            f"note: NN Lab trained on {N_TRAIN} rows and validated on {N_VALID}; "',
        '            f"these files hold {len(X_train)} and {len(X_valid)}."',
        "        )",
        "",
        "    torch.manual_seed(SEED)  # same seed, same initial weights as in NN Lab",
        "    model = Net()",
    ]
    if small_step:
        # Thread count changes how BatchNorm sums a batch, so match NN Lab's for the same bits.
        lines.append(
            "    torch.set_num_threads(1)  # a step this small runs on one thread, as in NN Lab"
        )
    elif threads is not None:
        lines += [
            "    # NN Lab's thread count for one run on the machine that wrote this script: another",
            "    # count sums the matrix products in another order, and the last digits can move.",
            f"    torch.set_num_threads(min({threads}, os.cpu_count() or 1))  # never more than the cores",
        ]
    if init:
        lines.append("    init_weights(model)")
    lines += [
        f"    optimizer = {optimizer}",
        "    shuffle = torch.Generator().manual_seed(SEED)  # the order of the mini-batches",
        "    print(model)",
        "",
        '    history, status = [], "finished"',
        "    good_state = copy.deepcopy(model.state_dict())",
    ]
    if early_stopping is not None:
        lines.append("    best_loss, best_epoch, best_state = math.inf, 0, None")
    lines += [
        "    start = time.perf_counter()",
        "    for epoch in range(1, EPOCHS + 1):",
        "        model.train()",
        "        order = torch.randperm(len(X_train), generator=shuffle)",
        "        loss_sum, correct, count = 0.0, 0, 0",
        "        for i in range(0, len(order), BATCH_SIZE):",
        "            idx = order[i : i + BATCH_SIZE]",
    ]
    if batchnorm:
        lines.append("            if len(idx) == 1:")
        lines.append("                continue  # BatchNorm cannot normalize a batch of one")
    lines += [
        "            xb, yb = to_input(X_train[idx]), y_train[idx]",
        "            output = model(xb)  # forward propagation",
        "            loss = compute_loss(output, yb)  # the loss",
        "            optimizer.zero_grad()  # clear the previous step's gradients",
        "            loss.backward()  # backward propagation: the gradients",
    ]
    if clip_grad > 0:
        lines.append(
            "            torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP_GRAD)"
            "  # cap the gradient's norm"
        )
    lines += [
        "            optimizer.step()  # update the weights",
        "            loss_sum += loss.item() * len(idx)",
    ]
    if classify:
        lines.append(f"            correct += int(({predict} == yb.long()).sum())")
    lines += [
        "            count += len(idx)",
        '        row = {"epoch": epoch, "train_loss": loss_sum / max(1, count)}',
    ]
    if classify:
        lines.append('        row["train_accuracy"] = correct / max(1, count)')
    lines += [
        "        row.update(evaluate(model, X_valid, y_valid))",
        '        if not (math.isfinite(row["train_loss"]) and math.isfinite(row["valid_loss"])):',
        "            model.load_state_dict(good_state)  # back to the last epoch's weights",
        '            status = "diverged"',
        '            print(f"diverged in epoch {epoch}: try a smaller learning rate")',
        "            break",
        "        good_state = copy.deepcopy(model.state_dict())",
        "        history.append(row)",
        '        shown = "  ".join(f"{k}={v:.4f}" for k, v in row.items() if k != "epoch")',
        '        print(f"epoch {epoch:>3}/{EPOCHS}  {shown}", flush=True)',
    ]
    if early_stopping is not None:
        lines.append(_early_stopping_check().rstrip("\n"))
        lines += [
            '    if status == "finished" and best_state is not None and best_epoch < len(history):',
            "        model.load_state_dict(best_state)  # the best epoch's weights, as NN Lab keeps",
        ]
    lines += [
        "    train_seconds = time.perf_counter() - start",
        "",
        "    torch.save(model.state_dict(), args.out)",
        '    print(f"saved {args.out}")',
        "    if args.json:",
        "        # The saved weights' metrics: after early stopping, the best epoch's, not the last.",
        "        result = evaluate(model, X_valid, y_valid)",
        "        n_params = sum(p.numel() for p in model.parameters())",
        "        result.update(",
        "            status=status,",
        "            epochs=len(history),",
        "            train_seconds=round(train_seconds, 4),",
        "            n_params=n_params,",
        '            device="cpu",',
        "        )",
        "        print(json.dumps(result))",
        "",
        "",
        'if __name__ == "__main__":',
        "    main()",
    ]
    return "\n".join(lines) + "\n"
