#include "engine/export/PythonTrainExport.h"

#include "engine/core/Error.h"
#include "engine/export/PythonFineTuning.h"
#include "engine/export/PythonModelExport.h"
#include "engine/io/StateDict.h"
#include "engine/train/LossRegistry.h"
#include "engine/train/OptimizerRegistry.h"
#include "engine/train/ScheduleRegistry.h"

#include <algorithm>
#include <sstream>

namespace netdraft::engine {

namespace {

/// Everything after the registered optimizers, schedules and losses: fixed text, kept readable in the
/// generated file.
const char* const kMainBody = R"PY(
def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.path.join(here, DATA_FILE), help="tensor file exported by Netdraft")
    parser.add_argument("--epochs", type=int, default=SETTINGS["epochs"])
    parser.add_argument("--batch-size", type=int, default=SETTINGS["batch_size"], help="per process")
@WEIGHTS@
    parser.add_argument("--out", default=os.path.join(here, "trained_weights.pt"))
    args = parser.parse_args()
    s = dict(SETTINGS, epochs=args.epochs)

    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    use_cuda = torch.cuda.is_available()
    if distributed:
        dist.init_process_group("nccl" if use_cuda else "gloo")
    rank = dist.get_rank() if distributed else 0
    device = torch.device("cuda", local_rank) if use_cuda else torch.device("cpu")
    if use_cuda:
        torch.cuda.set_device(device)
    torch.manual_seed(s["seed"])

    data = torch.load(args.data)
    train_set = TensorDataset(data["train_inputs"], data["train_targets"])
    sampler = DistributedSampler(train_set, shuffle=True, seed=s["seed"]) if distributed else None
    loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=sampler is None, sampler=sampler)

    model = Net().to(device)
    if args.weights:
        model.load_state_dict(torch.load(args.weights, map_location=device), strict=True)
@FREEZE@
    trained = DistributedDataParallel(model, device_ids=[local_rank] if use_cuda else None) if distributed else model
    optimizer = make_optimizer(@PARAMETERS@, s)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: learning_rate_factor(s, epoch))

    for epoch in range(s["epochs"]):
        if sampler is not None:
            sampler.set_epoch(epoch)
        trained.train()
@EVAL@
        total, count = 0.0, 0
        for inputs, targets in loader:
            inputs, targets = preprocess(inputs).to(device), targets.to(device)
            optimizer.zero_grad()
            loss = compute_loss(trained(inputs), targets, s)
            loss.backward()
            if s["gradient_clip_norm"] > 0:
                torch.nn.utils.clip_grad_norm_(trained.parameters(), s["gradient_clip_norm"])
            optimizer.step()
            total, count = total + loss.item() * len(inputs), count + len(inputs)
        schedule.step()
        if rank == 0:
            print(f"epoch {epoch + 1}/{s['epochs']}: train loss {total / max(count, 1):.4f}"
                  + validation_report(model, data, device, s), flush=True)

    if rank == 0:
        torch.save(model.state_dict(), args.out)
        print("saved", args.out, flush=True)
    if distributed:
        dist.destroy_process_group()


def validation_report(model, data, device, s):
    if "validation_inputs" not in data or len(data["validation_inputs"]) == 0:
        return ""
    model.eval()
    with torch.no_grad():
        outputs = model(preprocess(data["validation_inputs"]).to(device))
        targets = data["validation_targets"].to(device)
        report = f", validation loss {compute_loss(outputs, targets, s).item():.4f}"
        if targets.dtype == torch.int64:
            report += f", accuracy {(outputs.argmax(1) == targets).float().mean().item():.4f}"
    return report


if __name__ == "__main__":
    main()
)PY";

std::string pythonBool(bool value) { return value ? "True" : "False"; }

/// `lines` (newline-separated, unindented) with every line indented by `indent`.
std::string indented(const std::string& lines, const std::string& indent)
{
    std::string text;
    size_t start = 0;
    while (start <= lines.size()) {
        const size_t end = std::min(lines.find('\n', start), lines.size());
        text += indent + lines.substr(start, end - start) + "\n";
        start = end + 1;
    }
    return text;
}

/// `text` with the line holding only `marker` replaced by `line` (indented like the marker's line in
/// kMainBody), or removed when `line` is empty.
std::string withLine(std::string text, const std::string& marker, const std::string& line)
{
    const size_t at = text.find(marker + "\n");
    return at == std::string::npos ? text : text.replace(at, marker.size() + 1, line.empty() ? "" : line + "\n");
}

/// main() of train.py. Frozen blocks and learning-rate factors change a few lines: a fine-tuning run
/// starts from the exported weights, as Netdraft's starts from the project's.
std::string mainBody(const PythonFineTuning& fineTuning)
{
    const bool frozen = !fineTuning.frozenBlocks.empty();
    std::string parameters = "trained.parameters()";
    if (!fineTuning.learningRateScales.empty())
        parameters = "parameter_groups(model, s)";
    else if (frozen)
        parameters = "[p for p in model.parameters() if p.requires_grad]";
    std::string body = withLine(kMainBody, "@WEIGHTS@",
        fineTuning.empty()
            ? "    parser.add_argument(\"--weights\", default=None, help=\"state dict to start from (fine-tuning)\")"
            : "    parser.add_argument(\"--weights\", default=os.path.join(here, \"weights.pt\"),\n"
              "                        help=\"state dict to start from (default: the exported weights, fine-tuned)\")");
    body = withLine(body, "@FREEZE@", frozen ? "    freeze_blocks(model)  # before DistributedDataParallel" : "");
    body = withLine(body, "@EVAL@", fineTuning.frozenBlocksInEval ? "        keep_frozen_blocks_in_eval(model)" : "");
    const size_t at = body.find("@PARAMETERS@");
    return body.replace(at, std::string("@PARAMETERS@").size(), parameters);
}

/// One `if name == "<entry>":` branch per registered entry, then an error for any other name.
template <typename Entry>
void writeBranches(std::ostream& out, const std::vector<Entry>& entries, const std::string& kind,
    const std::string& prefix = "")
{
    for (const Entry& entry : entries)
        out << "    if name == " << pythonStringLiteral(entry.name) << ":\n" << indented(prefix + entry.python, "        ");
    out << "    raise ValueError(\"unknown " << kind << " \" + name)\n";
}

/// make_optimizer(), learning_rate_factor() and compute_loss(): a branch for each registered name.
void writeRegisteredFunctions(std::ostream& out)
{
    out << "\n\ndef make_optimizer(parameters, s):\n"
        << "    name = s[\"optimizer\"]\n"
        << "    lr, decay = s[\"learning_rate\"], s[\"weight_decay\"]\n";
    writeBranches(out, OptimizerRegistry::instance().entries(), "optimizer", "return ");
    out << "\n\ndef learning_rate_factor(s, epoch):\n"
        << "    \"\"\"Multiplier of the base learning rate for a 0-based epoch, as Netdraft schedules it.\"\"\"\n"
        << "    warmup, epochs = s[\"warmup_epochs\"], s[\"epochs\"]\n"
        << "    if epoch < warmup:\n"
        << "        return (epoch + 1) / (warmup + 1)\n"
        << "    epoch -= warmup\n"
        << "    scheduled = max(epochs - warmup, 1)\n"
        << "    name, gamma = s[\"schedule\"], s[\"gamma\"]\n";
    writeBranches(out, ScheduleRegistry::instance().entries(), "schedule");
    out << "\n\ndef value_targets(outputs, targets):\n"
        << "    \"\"\"Float targets for element-wise losses; class indexes become one-hot rows.\"\"\"\n"
        << "    if targets.dtype == torch.int64:\n"
        << "        targets = F.one_hot(targets, outputs.shape[-1]).float()\n"
        << "    return targets.to(outputs.dtype)\n"
        << "\n\ndef compute_loss(outputs, targets, s):\n"
        << "    name = s[\"loss\"]\n";
    writeBranches(out, LossRegistry::instance().entries(), "loss");
}

} // namespace

std::string pythonTrainSource(const TrainingSettings& settings, const std::string& dataFile)
{
    return pythonTrainSource(settings, PythonFineTuning {}, dataFile);
}

std::string pythonTrainSource(
    const TrainingSettings& settings, const CompiledNetwork& network, const std::string& dataFile)
{
    return pythonTrainSource(settings, pythonFineTuning(network, settings), dataFile);
}

std::string pythonTrainSource(
    const TrainingSettings& settings, const PythonFineTuning& fineTuning, const std::string& dataFile)
{
    std::ostringstream out;
    out.precision(17);
    out << "\"\"\"Training script exported by Netdraft: trains Net from model.py on the tensors in " << dataFile
        << "\n(exported by Netdraft from the project's dataset) with the project's training settings.\n\n"
        << "  python3 train.py                                 one process (GPU when available)\n"
        << "  torchrun --nproc_per_node=2 train.py             DistributedDataParallel: gloo on CPU, nccl on GPU\n"
        << "  (Debian's torch 1.13 on Python 3.11 needs 'torchrun --redirects 2 --tee 2 ...': its option parser\n"
        << "  fails on the default value there.)\n\n"
        << "Not mapped from Netdraft: early stopping, keep-best, mixed precision and data augmentation.\n\"\"\"\n"
        << "import argparse\nimport math\nimport os\n\nimport torch\nimport torch.distributed as dist\n"
        << "import torch.nn.functional as F\nfrom torch.nn.parallel import DistributedDataParallel\n"
        << "from torch.utils.data import DataLoader, TensorDataset\n"
        << "from torch.utils.data.distributed import DistributedSampler\n\nfrom model import Net, preprocess\n\n"
        << "DATA_FILE = " << pythonStringLiteral(dataFile) << "\n"
        << "SETTINGS = {\n"
        << "    \"epochs\": " << settings.epochs << ",\n"
        << "    \"batch_size\": " << settings.batchSize << ",\n"
        << "    \"optimizer\": " << pythonStringLiteral(settings.optimizer) << ",\n"
        << "    \"learning_rate\": " << settings.learningRate << ",\n"
        << "    \"momentum\": " << settings.momentum << ",\n"
        << "    \"nesterov\": " << pythonBool(settings.nesterov) << ",\n"
        << "    \"weight_decay\": " << settings.weightDecay << ",\n"
        << "    \"betas\": (" << settings.beta1 << ", " << settings.beta2 << "),\n"
        << "    \"schedule\": " << pythonStringLiteral(settings.schedule) << ",\n"
        << "    \"step_size\": " << settings.stepSize << ",\n"
        << "    \"gamma\": " << settings.gamma << ",\n"
        << "    \"milestones\": [";
    for (size_t i = 0; i < settings.milestones.size(); ++i)
        out << (i ? ", " : "") << settings.milestones[i];
    out << "],\n"
        << "    \"warmup_epochs\": " << settings.warmupEpochs << ",\n"
        << "    \"min_learning_rate\": " << settings.minLearningRate << ",\n"
        << "    \"loss\": " << pythonStringLiteral(settings.loss) << ",\n"
        << "    \"label_smoothing\": " << settings.labelSmoothing << ",\n"
        << "    \"gradient_clip_norm\": " << settings.gradientClipNorm << ",\n"
        << "    \"seed\": " << settings.seed << ",\n"
        << "}\n";
    out << pythonFineTuningDefinitions(fineTuning);
    writeRegisteredFunctions(out);
    out << mainBody(fineTuning);
    return out.str();
}

std::string trainingDataArchive(const InMemoryDataset& train, const InMemoryDataset& validation)
{
    ND_CHECK(train.size() > 0, "the training data is empty");
    NamedTensors tensors{{"train_inputs", train.inputs}, {"train_targets", train.targets}};
    if (validation.size() > 0) {
        tensors.emplace_back("validation_inputs", validation.inputs);
        tensors.emplace_back("validation_targets", validation.targets);
    }
    return tensorDictArchive(tensors);
}

} // namespace netdraft::engine
