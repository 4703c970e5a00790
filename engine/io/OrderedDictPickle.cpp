#include "engine/io/OrderedDictPickle.h"

#include "engine/core/Error.h"

#include <cstdint>
#include <set>
#include <string_view>
#include <vector>

namespace netdraft::engine {

namespace {

constexpr const char* kOrderedDictGlobal = "ccollections\nOrderedDict\n";

/// One opcode: where it starts and how many bytes it takes with its argument.
struct Opcode {
    char code = 0;
    size_t start = 0;
    size_t length = 0;
};

uint64_t littleEndian(const std::string& program, size_t at, size_t bytes)
{
    uint64_t value = 0;
    for (size_t i = 0; i < bytes; ++i)
        value |= uint64_t(static_cast<unsigned char>(program[at + i])) << (8 * i);
    return value;
}

/// The length of the opcode at `at` (pickle protocols 0-5), checked against the program's end.
size_t opcodeLength(const std::string& program, size_t at, const std::string& sourceName)
{
    const auto fixed = [&](size_t argument) {
        ND_CHECK(at + 1 + argument <= program.size(), sourceName, ": the pickle ends inside an opcode at byte ", at);
        return 1 + argument;
    };
    const auto counted = [&](size_t lengthBytes) {
        fixed(lengthBytes);
        const uint64_t size = littleEndian(program, at + 1, lengthBytes);
        ND_CHECK(size <= program.size() - at - 1 - lengthBytes, sourceName,
            ": the pickle ends inside an opcode at byte ", at);
        return 1 + lengthBytes + size_t(size);
    };
    const auto lines = [&](int count) {
        size_t end = at + 1;
        for (int i = 0; i < count; ++i) {
            end = program.find('\n', end);
            ND_CHECK(end != std::string::npos, sourceName, ": the pickle ends inside an opcode at byte ", at);
            ++end;
        }
        return end - at;
    };
    switch (program[at]) {
    case '(':
    case '.':
    case '0':
    case '1':
    case '2':
    case 'R':
    case 'a':
    case 'b':
    case 'd':
    case '}':
    case 'e':
    case 'l':
    case ']':
    case 'o':
    case 's':
    case 't':
    case ')':
    case 'u':
    case 'Q':
    case 'N':
    case '\x81':
    case '\x85':
    case '\x86':
    case '\x87':
    case '\x88':
    case '\x89':
    case '\x8f':
    case '\x90':
    case '\x91':
    case '\x92':
    case '\x93':
    case '\x94':
    case '\x97':
    case '\x98':
        return 1;
    case '\x80':
    case 'K':
    case 'q':
    case 'h':
    case '\x82':
        return fixed(1);
    case 'M':
    case '\x83':
        return fixed(2);
    case 'J':
    case 'r':
    case 'j':
    case '\x84':
        return fixed(4);
    case 'G':
    case '\x95':
        return fixed(8);
    case 'U':
    case 'C':
    case '\x8a':
    case '\x8c':
        return counted(1);
    case 'T':
    case 'B':
    case 'X':
    case '\x8b':
        return counted(4);
    case '\x8d':
    case '\x8e':
    case '\x96':
        return counted(8);
    case 'I':
    case 'L':
    case 'S':
    case 'V':
    case 'F':
    case 'p':
    case 'g':
    case 'P':
        return lines(1);
    case 'c':
    case 'i':
        return lines(2);
    default:
        ND_CHECK(false, sourceName, ": unknown pickle opcode 0x",
            std::to_string(static_cast<unsigned char>(program[at])), " at byte ", at);
    }
    return 0;
}

/// The memo index a PUT/GET-like opcode names.
uint64_t memoIndex(const std::string& program, const Opcode& op)
{
    switch (op.code) {
    case 'q':
    case 'h':
        return littleEndian(program, op.start + 1, 1);
    case 'r':
    case 'j':
        return littleEndian(program, op.start + 1, 4);
    default: { // PUT/GET: decimal text up to the newline
        uint64_t index = 0;
        for (size_t at = op.start + 1; at + 1 < op.start + op.length; ++at)
            if (program[at] >= '0' && program[at] <= '9')
                index = index * 10 + uint64_t(program[at] - '0');
        return index;
    }
    }
}

bool isPut(char code)
{
    return code == 'q' || code == 'r' || code == 'p';
}
bool isGet(char code)
{
    return code == 'h' || code == 'j' || code == 'g';
}

} // namespace

bool picklesOrderedDict(const std::string& program)
{
    return program.find(kOrderedDictGlobal) != std::string::npos;
}

std::string plainDictPickle(const std::string& program, const std::string& sourceName)
{
    const bool orderedDict = picklesOrderedDict(program);
    ND_CHECK(program.size() >= 2 && program[0] == '\x80', sourceName, ": not a pickle of protocol 2 or later");
    ND_CHECK(program[1] == 2, sourceName, ": pickle protocol ", int(static_cast<unsigned char>(program[1])),
        "; Netdraft reads protocol 2, torch.save's default: save without pickle_protocol");
    // Most pickles need nothing rewritten: find out without building anything per opcode.
    std::vector<Opcode> ops;
    bool needsRewrite = false;
    for (size_t at = 0; at < program.size();) {
        const size_t length = opcodeLength(program, at, sourceName);
        const char code = program[at];
        needsRewrite = needsRewrite || code == 's' || code == 'a' || code == '\x95'
            || (code == 'c' && program.compare(at, length, kOrderedDictGlobal) == 0);
        at += length;
        if (code == '.')
            break;
    }
    if (!needsRewrite)
        return program;
    for (size_t at = 0; at < program.size();) {
        const Opcode op { program[at], at, opcodeLength(program, at, sourceName) };
        ops.push_back(op);
        at += op.length;
        if (op.code == '.')
            break;
    }
    const auto text = [&](const Opcode& op) { return std::string_view(program).substr(op.start, op.length); };
    const auto callsWithoutArguments
        = [&](size_t i) { return i + 2 < ops.size() && ops[i + 1].code == ')' && ops[i + 2].code == 'R'; };
    // Where each stack item's opcodes begin in `out` (marks included), so that SETITEM can become
    // MARK key value SETITEMS (LibTorch reads no SETITEM) and BUILD can drop its state's opcodes.
    std::vector<size_t> starts;
    std::vector<size_t> marks; // indices into `starts` of the marks
    const auto pop = [&](size_t count, const Opcode& op) {
        ND_CHECK(starts.size() >= count + (marks.empty() ? 0 : marks.back() + 1), sourceName,
            ": the pickle's stack is empty at byte ", op.start);
        const size_t first = starts[starts.size() - count];
        starts.resize(starts.size() - count);
        return first;
    };
    const auto popToMark = [&](const Opcode& op) {
        ND_CHECK(!marks.empty(), sourceName, ": the pickle has no mark for the opcode at byte ", op.start);
        const size_t first = starts[marks.back()];
        starts.resize(marks.back());
        marks.pop_back();
        return first;
    };
    std::set<uint64_t> orderedDictMemo; // memo entries that hold the OrderedDict class
    std::string out;
    out.reserve(program.size() + 64);
    for (size_t i = 0; i < ops.size(); ++i) {
        const Opcode& op = ops[i];
        const size_t here = out.size();
        if (op.code == '\x95')
            continue; // FRAME: a size hint that no longer holds
        if (op.code == 'c' && text(op) == kOrderedDictGlobal) {
            // OrderedDict, [PUT n], (), REDUCE -> {}, [PUT n]: the memo entry is only ever called
            // the same way again, which the GET branch rewrites too.
            const bool put = i + 1 < ops.size() && isPut(ops[i + 1].code);
            if (callsWithoutArguments(i + (put ? 1 : 0))) {
                out += '}';
                if (put) {
                    orderedDictMemo.insert(memoIndex(program, ops[i + 1]));
                    out += text(ops[i + 1]);
                }
                starts.push_back(here);
                i += put ? 3 : 2;
                continue;
            }
        }
        if (isGet(op.code) && orderedDictMemo.count(memoIndex(program, op))) {
            ND_CHECK(callsWithoutArguments(i), sourceName,
                ": the pickle uses collections.OrderedDict other than as OrderedDict(); save the weights with "
                "torch.save(dict(model.state_dict()), path)");
            out += '}';
            starts.push_back(here);
            i += 2;
            continue;
        }
        switch (op.code) {
        case 's': { // SETITEM: d k v -> d ( k v u
            const size_t key = pop(2, op);
            out.insert(key, 1, '(');
            out += 'u';
            continue;
        }
        case 'a': { // APPEND: l x -> l ( x e
            out.insert(pop(1, op), 1, '(');
            out += 'e';
            continue;
        }
        case 'b': // BUILD sets the OrderedDict's attributes (_metadata): drop the state
            if (orderedDict) {
                out.resize(pop(1, op));
                continue;
            }
            pop(1, op);
            break;
        case '(':
            marks.push_back(starts.size());
            starts.push_back(here);
            break;
        case 't':
        case 'l':
        case 'd':
        case '\x91':
        case 'o':
        case 'i':
            starts.push_back(popToMark(op));
            break;
        case 'u':
        case 'e':
        case '\x90':
        case '1':
            popToMark(op);
            break;
        case '\x85':
        case 'Q':
        case '\x86':
        case 'R':
        case '\x81':
        case '\x93':
        case '\x87':
        case '\x92':
            starts.push_back(pop(op.code == '\x85' || op.code == 'Q' ? 1
                    : op.code == '\x87' || op.code == '\x92'         ? 3
                                                                     : 2,
                op));
            break;
        case '0':
            pop(1, op);
            break;
        case '\x80':
        case '.':
        case 'q':
        case 'r':
        case 'p':
        case '\x94':
        case '\x98':
            break;
        default: // every other opcode pushes one value
            starts.push_back(here);
            break;
        }
        out += text(op);
    }
    return out;
}

} // namespace netdraft::engine
