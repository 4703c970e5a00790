# `netdraft-cli train PROJECT --data FOLDER` on a small CIFAR-10 folder written here: the kind is
# detected from the files (the project's own kind is a generated one), and the run trains on them.
# The CIFAR records are text bytes (CMake writes no NUL): labels 1..9 cycling, pixels 'A'..'Z'.
#   cmake -DPROGRAM=netdraft-cli -DPROJECT=file -DWORK_DIR=dir -P TrainWithData.cmake

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}/cifar")

# Appends `count` records of 1 + 3072 bytes to `file`.
function(write_cifar_batch file count)
  set(batch "")
  foreach(index RANGE 1 ${count})
    math(EXPR label "${index} % 9 + 1")
    math(EXPR pixel "${index} % 26 + 65")
    string(ASCII ${label} label_byte)
    string(ASCII ${pixel} pixel_byte)
    string(REPEAT "${pixel_byte}" 3072 pixels)
    string(APPEND batch "${label_byte}${pixels}")
  endforeach()
  file(WRITE "${file}" "${batch}")
endfunction()
write_cifar_batch("${WORK_DIR}/cifar/data_batch_1.bin" 40)
write_cifar_batch("${WORK_DIR}/cifar/test_batch.bin" 12)

execute_process(COMMAND ${PROGRAM} train "${PROJECT}" --data "${WORK_DIR}/cifar" --epochs 1 --out "${WORK_DIR}/run"
  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
message("${output}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "training with --data exited with ${status}")
endif()
foreach(expected "dataset: cifar10 \\(detected from [^\n]*cifar\\)" "CIFAR-10, 40 samples" "test \\(12 samples\\)"
                 "epoch 1/1")
  if(NOT output MATCHES "${expected}")
    message(FATAL_ERROR "the output does not match: ${expected}")
  endif()
endforeach()
