# Runs TOOL with ARGS ("|"-separated), checks the exit code is EXIT and,
# when given, that stdout equals the file EXPECTED and stderr the file
# EXPECTED_STDERR.  cmake -DTOOL=... -DARGS=... -DEXIT=... -P expect.cmake
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND ${TOOL} ${args}
                RESULT_VARIABLE code OUTPUT_VARIABLE stdout_text ERROR_VARIABLE stderr_text)
if(NOT code STREQUAL EXIT)
  message(FATAL_ERROR "exit code ${code}, expected ${EXIT}\nstdout:\n${stdout_text}\nstderr:\n${stderr_text}")
endif()

function(compare what got file)
  if(NOT file)
    return()
  endif()
  file(READ "${file}" want)
  if(NOT got STREQUAL want)
    message(FATAL_ERROR "${what} differs from ${file}\n--- got:\n${got}\n--- want:\n${want}")
  endif()
endfunction()

compare(stdout "${stdout_text}" "${EXPECTED}")
compare(stderr "${stderr_text}" "${EXPECTED_STDERR}")
