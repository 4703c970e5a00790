#pragma once
// Conversions between Netdraft's plain ONNX values (engine/layers/OnnxBuilder.h) and the protobuf
// messages of onnx_pb.h, the checks every written model passes, and size-checked (de)serialisation.
// Shared by the ONNX export and the ONNX import (the only protobuf users).

#include "engine/layers/OnnxBuilder.h"

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>

namespace netdraft::engine::onnxproto {

/// The opset and IR version Netdraft writes (what libonnx 1.12 checks and onnxruntime runs).
inline constexpr int64_t kOpsetVersion = 17;
inline constexpr int64_t kIrVersion = 8;
/// protobuf refuses messages of 2 GB or more.
inline constexpr uint64_t kMaxModelBytes = (uint64_t(1) << 31) - 1;

/// An initializer named `name` holding `values` (raw little-endian data).
onnx::TensorProto tensorProto(const std::string& name, const OnnxTensorValues& values);
/// The values of a float32 or int64 initializer; throws Error naming `where` when its data does not
/// match its dims (never trusts the dims for an allocation) or its type is another.
OnnxTensorValues tensorValues(const onnx::TensorProto& tensor, const std::string& where);

/// Sets `attribute` on `node` with the ONNX type of its value.
void addAttribute(onnx::NodeProto& node, const OnnxAttribute& attribute);

/// Declares a float32/int64 tensor value with `dims`; a negative size is the symbolic `batchName`.
void setTensorType(onnx::ValueInfoProto& value, int32_t elementType, const std::vector<int64_t>& dims,
    const std::string& batchName = "batch");
/// The dims of a value's tensor type; a symbolic or missing size is -1.
std::vector<int64_t> tensorDims(const onnx::ValueInfoProto& value);

/// Strict shape inference with type checks; `model` receives the inferred shapes (also of graph
/// outputs declared without one). Throws Error with ONNX's message.
void inferShapes(onnx::ModelProto& model);
/// onnx::checker::check_model, then inferShapes() (python's check_model(full_check=True)).
void checkModel(onnx::ModelProto& model);

/// The serialised model; throws Error when it would reach protobuf's 2 GB limit.
std::string serializeModel(const onnx::ModelProto& model);
/// Parses model bytes; throws Error naming `sourceName` when they are not an ONNX model.
onnx::ModelProto parseModel(const std::string& bytes, const std::string& sourceName);

} // namespace netdraft::engine::onnxproto
