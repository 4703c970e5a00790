# docs/LAYERS.md is the output of `netdraft-cli layers`: fails with the command to run when a layer
# type's description changed and the file was not regenerated.
#   cmake -DPROGRAM=netdraft-cli -DREFERENCE=docs/LAYERS.md -P CheckLayerReference.cmake

execute_process(COMMAND ${PROGRAM} layers RESULT_VARIABLE status OUTPUT_VARIABLE generated ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "netdraft-cli layers exited with ${status}: ${errors}")
endif()
file(READ "${REFERENCE}" committed)
if(NOT generated STREQUAL committed)
  message(FATAL_ERROR "${REFERENCE} is out of date; regenerate it: netdraft-cli layers > docs/LAYERS.md")
endif()
