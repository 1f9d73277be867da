-- Lua 5.4 equivalent of the reference Rhai engine's scripts/fibonacci.rhai (recursive fib(28), 5 times).
local TARGET = 28
local REPEAT = 5
local ANSWER = 317811

local function fib(n)
    if n < 2 then
        return n
    else
        return fib(n - 1) + fib(n - 2)
    end
end

print(string.format("Running Fibonacci(%d) x %d times...", TARGET, REPEAT))
print("Ready... Go!")

local result
local now = os.clock()

for _ = 0, REPEAT - 1 do
    result = fib(TARGET)
end

print(string.format("Finished. Run time = %.6f seconds.", os.clock() - now))

print(string.format("Fibonacci number #%d = %d", TARGET, result))

if result ~= ANSWER then
    print(string.format("The answer is WRONG! Should be %d!", ANSWER))
end
