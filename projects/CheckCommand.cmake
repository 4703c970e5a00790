# Runs PROGRAM with ARGUMENTS ('|'-separated) and fails unless it exits with EXPECTED_EXIT and its
# output (stdout and stderr together) matches the regular expression EXPECTED_OUTPUT.
#   cmake -DPROGRAM=... -DARGUMENTS=validate|file -DEXPECTED_EXIT=1 -DEXPECTED_OUTPUT=regex -P CheckCommand.cmake

string(REPLACE "|" ";" arguments "${ARGUMENTS}")
execute_process(COMMAND ${PROGRAM} ${arguments} RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
message("${output}")
if(NOT status STREQUAL "${EXPECTED_EXIT}")
  message(FATAL_ERROR "exit status ${status}, expected ${EXPECTED_EXIT}")
endif()
if(NOT output MATCHES "${EXPECTED_OUTPUT}")
  message(FATAL_ERROR "the output does not match: ${EXPECTED_OUTPUT}")
endif()
