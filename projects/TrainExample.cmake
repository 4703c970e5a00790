# Trains an example project briefly with netdraft-cli: a copy of PROJECT with its generated dataset cut
# to SAMPLES samples is written to WORK_DIR and trained for one epoch; the run must end normally and
# leave weights.pt, which is then exported as TorchScript.
# EXPECTED_OUTPUT, when not empty, is a regular expression the training output must match.
#   cmake -DPROGRAM=netdraft-cli -DPROJECT=file -DSAMPLES=400 -DWORK_DIR=dir [-DEXTRA_ARGUMENTS=a|b]
#         [-DEXPECTED_OUTPUT=regex] -P TrainExample.cmake

get_filename_component(name "${PROJECT}" NAME)
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
file(READ "${PROJECT}" text)
string(REGEX REPLACE "\"samples\": [0-9]+" "\"samples\": ${SAMPLES}" text "${text}")
file(WRITE "${WORK_DIR}/${name}" "${text}")
string(REPLACE "|" ";" extra "${EXTRA_ARGUMENTS}")

execute_process(COMMAND ${PROGRAM} train "${WORK_DIR}/${name}" --epochs 1 --out "${WORK_DIR}/run" ${extra}
  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
message("${output}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "training ${name} exited with ${status}")
endif()
if(NOT output MATCHES "epoch 1/1" OR NOT EXISTS "${WORK_DIR}/run/weights.pt")
  message(FATAL_ERROR "training ${name} did not finish its epoch and write run/weights.pt")
endif()
if(NOT "${EXPECTED_OUTPUT}" STREQUAL "" AND NOT output MATCHES "${EXPECTED_OUTPUT}")
  message(FATAL_ERROR "the output of training ${name} does not match '${EXPECTED_OUTPUT}'")
endif()

execute_process(COMMAND ${PROGRAM} export "${WORK_DIR}/${name}" --format torchscript --out "${WORK_DIR}/model.pt"
                        --weights "${WORK_DIR}/run/weights.pt"
  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
message("${output}")
if(NOT status EQUAL 0 OR NOT EXISTS "${WORK_DIR}/model.pt")
  message(FATAL_ERROR "exporting the trained ${name} failed (${status})")
endif()
