#pragma once
// torch.save(model.state_dict()) pickles a collections.OrderedDict (with a _metadata attribute set by
// BUILD). LibTorch's C++ unpickler turns every OrderedDict into None (it expects one only as a
// tensor's empty backward hooks), so the state dict itself cannot be read as written. This rewrites
// such a pickle into one of a plain dict, opcode by opcode, before LibTorch reads it.

#include <string>

namespace netdraft::engine {

/// The pickle `program` with each `OrderedDict()` call made an empty dict, the BUILD that sets the
/// dict's attributes (_metadata) dropped with its state, and each SETITEM (which LibTorch cannot
/// read; Python writes it for a dict of one entry) made MARK key value SETITEMS, likewise APPEND;
/// FRAME hints are removed since lengths change. Only protocol 2 (torch.save's default) is accepted. Throws Error
/// naming `sourceName` when an opcode is cut short or unknown or the stack runs empty.
std::string plainDictPickle(const std::string& program, const std::string& sourceName);

/// True when `program` names collections.OrderedDict (for the hint of an error message).
bool picklesOrderedDict(const std::string& program);

} // namespace netdraft::engine
