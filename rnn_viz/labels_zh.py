"""Chinese labels of the figures and widgets: English label -> 中文 (rnn_viz.language.tr looks them up).

Keys are the exact English strings passed to tr(), {fields} included; tests/test_language.py checks that
every tr() string of the modules and notebooks has an entry here, and every entry is still used.
The terms are the GLOSSARY's (rnn_viz.language); mathematics stays mathtext, the same $...$ as in English
(a line with $...$ is set in the CJK font alone: write $\\hat{y}$, never the precomposed ŷ, there).
A rotated label (colour bars, y axes) never starts a line with a full-width bracket "（": matplotlib 3.10
shifts a rotated line by its first glyph's left bearing, which for "（" is half a character, so the label
is drawn off its place (out of the figure at the right edge); ASCII brackets "(" are used there instead.
"""

LABELS: dict[str, str] = {
    # --- shared by several figures ---------------------------------------------------------------------
    "time step $t$": "时间步 $t$",
    "time step t": "时间步 t",
    "value": "值",
    "hidden unit": "隐藏单元",
    "hidden units": "隐藏单元",
    "input $x_t$": "输入 $x_t$",
    "target": "目标",
    "epoch": "轮次",
    "loss per sequence": "每个序列的损失",
    "entry": "元素",
    "unit": "单元",
    "(no unit)": "(无单位)",  # a colour bar's (rotated) label: see "rotated" in the module's docstring
    "$h_t$ (no unit)": "$h_t$ (无单位)",
    "sequence length T": "序列长度 T",
    "lag $T-1-t$ (steps back from the end)": "滞后 $T-1-t$（从末尾往回数的步数）",
    "guessing": "瞎猜",
    # --- display: the still picture ---------------------------------------------------------------------
    "Static picture of an interactive widget: run this notebook in Jupyter to use its controls.": (
        "交互式控件的静态图：在 Jupyter 中运行本笔记本即可使用它的控件。"
    ),
    "[interactive widget: {controls}] {note}": "[交互式控件：{controls}] {note}",
    # --- plots: 01 the unrolled graph, the tanh panel ---------------------------------------------------
    "The RNN unrolled over $T$ = {steps} steps:\nthe same $W_{{xh}}$, $W_{{hh}}$, $W_{{hy}}$ at every step": (
        "RNN 按 $T$ = {steps} 个时间步展开：\n每一步都用同样的 $W_{{xh}}$、$W_{{hh}}$、$W_{{hy}}$"
    ),
    r"slope $1-h^2$": r"斜率 $1-h^2$",
    r"pre-activation $a$": r"预激活 $a$",
    "tanh and its slope": "tanh 及其斜率",
    # --- plots: 02 outputs and errors, gradient contributions -------------------------------------------
    "target $y_t[{k}]$": "目标 $y_t[{k}]$",
    r"prediction $\hat y_t[{k}]$": r"预测 $\hat y_t[{k}]$",
    r"predictions $\hat y_t$, targets $y_t$, and the error $dy$ at every step": (
        r"每一步的预测 $\hat y_t$、目标 $y_t$ 与误差 $dy$"
    ),
    "{gradient}: term of each step": "{gradient}：每一步的项",
    "{gradient} term\n(no unit)": "{gradient} 的项\n(无单位)",  # rotated: ASCII brackets
    "Gradient contribution of every time step\n(sum each row over $t$ = the gradient)": (
        "每个时间步对梯度的贡献\n（每行对 $t$ 求和 = 梯度）"
    ),
    # --- plots: 03 one step back -------------------------------------------------------------------------
    "step t+1\n" + r"(uses $h_t$ via $W_{hh}$)": "第 t+1 步\n" + r"（经 $W_{hh}$ 使用 $h_t$）",
    r"($x_t$: data, no gradient)": r"（$x_t$：数据，无梯度）",
    r"(= $dh\_next$ of step $t-1$)": r"（= 第 $t-1$ 步的 $dh\_next$）",
    r"$dh\_next$ (from step $t+1$)": r"$dh\_next$（来自第 $t+1$ 步）",
    (
        "One time step $t$: values go forward along the black arrows;\n"
        "the vermillion label on each arrow is the gradient of $L$ that comes back along it"
    ): "一个时间步 $t$：数值沿黑色箭头向前传递；\n每个箭头上的朱红色标签是沿它传回的 $L$ 的梯度",
    # --- plots: 05 tasks and training ---------------------------------------------------------------------
    "noisy sine: predict the next value": "带噪声的正弦：预测下一个值",
    "echo: repeat the bit from 2 steps ago": "回声：重复 2 步之前的比特",
    "running sum of all inputs so far": "累加和：到目前为止所有输入之和",
    "{label} (overflowed)": "{label}（溢出）",
    "training loss": "训练损失",
    "one sequence": "一个序列",
    # --- plots: 06 truncation, 07 memory ------------------------------------------------------------------
    "cosine similarity": "余弦相似度",
    r"relative error $\|g_k - g\| / \|g\|$": r"相对误差 $\|g_k - g\| / \|g\|$",
    "truncation length $k$ (steps)": "截断长度 $k$（步）",
    "compared with full BPTT": "与完整 BPTT 相比",
    "Truncated gradient vs full ($T$ = {steps})": "截断梯度与完整梯度（$T$ = {steps}）",
    "cached hidden states (KiB)": "缓存的隐藏状态 (KiB)",
    "Memory held for the backward pass": "为反向传播保留的内存",
    "delay $k$ (steps the bit must be remembered)": "延迟 $k$（比特需要记住的步数）",
    "accuracy on new sequences": "新序列上的准确率",
    "Echo task: what the RNN still remembers": "回声任务：RNN 还记得什么",
    # --- widgets: 01 forward explorer ---------------------------------------------------------------------
    r"hidden state $h_t$ (column $t$ outlined)": r"隐藏状态 $h_t$（第 $t$ 列加框）",
    r"output: the prediction $\hat y_t$": r"输出：预测 $\hat y_t$",
    (
        "dots: $h_t$ at $t$ = {t}\n$W_{{hh}}$ scaled by {scale:.2f}\n"
        "saturated ($|h| > 0.95$):\n{percent:.0f}% of all $h$"
    ): (
        "圆点：$t$ = {t} 时的 $h_t$\n$W_{{hh}}$ 缩放为 {scale:.2f} 倍\n"
        "饱和（$|h| > 0.95$）：\n占全部 $h$ 的 {percent:.0f}%"
    ),
    "scale of W_hh": "W_hh 的缩放倍数",
    # --- widgets: 04 backward stepper ---------------------------------------------------------------------
    "term of step $t$ in {gradient}": "{gradient} 中第 $t$ 步的项",
    "your term - rnn_core's, in {gradient}": "{gradient}：你的项 - rnn_core 的项",
    "{gradient} so far ({rows}x{columns})": "到目前为止的 {gradient}（{rows}x{columns}）",
    (
        "BPTT from $t$ = {last} down to 0   (grey: not computed yet; black box: step $t$;"
        "\ncolours: blue < 0 < red, no unit; each panel on the left and in the middle has its own scale)"
    ): (
        "BPTT 从 $t$ = {last} 倒推到 0（灰色：尚未计算；黑框：第 $t$ 步；"
        "\n颜色：蓝 < 0 < 红，无单位；左列和中列的每个面板各有自己的色标）"
    ),
    "backward pass at step t (drag right to left)": "反向传播到第 t 步（从右往左拖）",
    # --- widgets: 05 training lab -------------------------------------------------------------------------
    "task": "任务",
    "hidden size H": "隐藏层大小 H",
    "epochs": "训练轮数",
    "0.01 (the problem's)": "0.01（题目给定的）",
    "learning rate": "学习率",
    "training": "训练进度",
    "training loss (mean over sequences)": "训练损失（对序列取平均）",
    "output before training": "训练前的输出",
    "output after training": "训练后的输出",
    "a sequence it was not trained on": "一个未用于训练的序列",
    "training: {epochs} epochs ...": "训练中：{epochs} 轮……",
    "epoch {epoch} of {epochs}, loss {loss:.4g}": "第 {epoch} 轮（共 {epochs} 轮），损失 {loss:.4g}",
    "done: {epochs} epochs in {seconds:.2f} s, loss {first:.4g} -> {last:.4g}": (
        "完成：{epochs} 轮，用时 {seconds:.2f} 秒，损失 {first:.4g} -> {last:.4g}"
    ),
    # --- dynamics widgets: 06 lag explorer ----------------------------------------------------------------
    r"$\|dh_{T-1}/dh_t\|$" + "\n(median over sequences)": r"$\|dh_{T-1}/dh_t\|$" + "\n（各序列的中位数）",
    r"$\|dL/dh_t\|$" + "\n(loss at the last step, median)": r"$\|dL/dh_t\|$" + "\n（最后一步的损失，中位数）",
    r"bound $\sigma_{\max}^{\,\mathrm{lag}}$" + "\n(Pascanu et al. 2013)": (
        r"上界 $\sigma_{\max}^{\,\mathrm{lag}}$" + "\n（Pascanu 等人 2013）"
    ),
    "norm (log scale)": "范数 (对数刻度)",
    "How much $h_t$ still matters at the end of the sequence": "序列末尾处 $h_t$ 还有多大影响",
    r"$\sigma_{\max} < 1$: vanishing" + "\nis guaranteed": r"$\sigma_{\max} < 1$：梯度消失" + "\n必然发生",
    r"$\sigma_{\max} = 1$: the bound" + "\nstays at 1": r"$\sigma_{\max} = 1$：上界" + "\n保持为 1",
    r"$\sigma_{\max} > 1$: exploding" + "\nis possible (necessary,\nnot sufficient)": (
        r"$\sigma_{\max} > 1$：梯度爆炸" + "\n有可能发生（必要条件，\n而非充分条件）"
    ),
    (
        "spectral radius $\\rho$ = {radius:.2f}\n"
        "$\\sigma_{{\\max}}(W_{{hh}})$ = {sigma:.2f}\n"
        "mean slope $1-h^2$: {slope:.2f}\n{verdict}"
    ): (
        "谱半径 $\\rho$ = {radius:.2f}\n"
        "$\\sigma_{{\\max}}(W_{{hh}})$ = {sigma:.2f}\n"
        "平均斜率 $1-h^2$：{slope:.2f}\n{verdict}"
    ),
    "spectral radius of W_hh": "W_hh 的谱半径",
    "input scale": "输入缩放倍数",
    # --- dynamics widgets: 06 clipping explorer -----------------------------------------------------------
    "unclipped": "未裁剪",
    "norm clipping": "按范数裁剪",
    "element-wise clipping": "逐元素裁剪",
    "gradient entry, original": "梯度元素（裁剪前）",
    "gradient entry, clipped": "梯度元素 (裁剪后)",
    r"Every entry of $\partial L/\partial W$, before and after": (
        r"$\partial L/\partial W$ 的每个元素：裁剪前与裁剪后"
    ),
    "largest |entry|": "最大 |元素|",
    "gradient norm": "梯度范数",
    "threshold (log scale)": "阈值（对数刻度）",
    "cosine similarity to the original": "与原梯度的余弦相似度",
    "Direction kept?": "方向保持不变吗？",
    (
        "threshold {threshold:.3g}:   cosine to the original\n"
        "norm clipping {by_norm:.4f},   element-wise {by_value:.4f}"
    ): "阈值 {threshold:.3g}：与原梯度的余弦相似度\n按范数裁剪 {by_norm:.4f}，逐元素裁剪 {by_value:.4f}",
    "clipping threshold": "裁剪阈值",
    # --- dynamics widgets: 07 trajectory scrubber ---------------------------------------------------------
    r"output $\hat y_t$": r"输出 $\hat y_t$",
    "a longer run": "一次更长的运行",
    "PC 1 ({percent:.0f}% of variance)": "主成分 1（占方差的 {percent:.0f}%）",
    "PC 2 ({percent:.0f}%)": "主成分 2 ({percent:.0f}%)",
    "$h_t$ in 2-D (PCA)": "$h_t$ 的二维投影（PCA）",
    "every hidden unit over time": "每个隐藏单元随时间的变化",
    "$h_t$ (tanh: between -1 and 1)": "$h_t$（tanh：介于 -1 与 1 之间）",
    # --- lm widgets: 09 sample writer ---------------------------------------------------------------------
    "{unknown} is not among the {count} characters the model knows ({known})": (
        "{unknown} 不在模型认识的 {count} 个字符之中（{known}）"
    ),
    "what the model writes (✓ the grammar accepts the sentence, ✗ it does not)": (
        "模型写出的文本（✓ 语法接受该句，✗ 不接受）"
    ),
    r"probability $p(c \mid \mathrm{prefix})$": r"概率 $p(c \mid \mathrm{prefix})$",
    "next character": "下一个字符",
    r"blue: $\mathrm{softmax}(s/\tau)$, grey: $\tau = 1$": (
        r"蓝色：$\mathrm{softmax}(s/\tau)$，灰色：$\tau = 1$"
    ),
    "cannot read the prefix {prefix}:": "无法读取前缀 {prefix}：",
    "type only characters the model knows": "请只输入模型认识的字符",
    "  (and {count} more lines)": "  （还有 {count} 行）",
    (
        "you typed {typed} characters, the model wrote {length};\n"
        "the grammar accepts {accepted} of {complete} complete sentences"
    ): "你输入了 {typed} 个字符，模型写了 {length} 个；\n{complete} 个完整句子中有 {accepted} 个被语法接受",
    "prefix": "前缀",
    "temperature τ": "温度 τ",
    "length": "长度",
    "seed": "随机种子",
    # --- lm widgets: 09 text reader -----------------------------------------------------------------------
    "probability the model gave the character that came next (1 = certain and right)": (
        "模型给实际下一个字符的概率（1 = 确信且正确）"
    ),
    "position t (characters from the start)": "位置 t（从开头数的字符数）",
    r"character $c_t$ read at position $t$": r"在位置 $t$ 读入的字符 $c_t$",
    r"hidden state $h_t$ (tanh: $-1$ to $1$)": r"隐藏状态 $h_t$ (tanh：$-1$ 到 $1$)",
    r"probability $p_t$": r"概率 $p_t$",
    "prediction at position t": "位置 t 的预测",
    "t = {t}: read {read}\nnext came {next}\np = {p:.3f}, $-\\ln p$ = {surprise:.2f}": (
        "t = {t}：读入 {read}\n下一个是 {next}\np = {p:.3f}，$-\\ln p$ = {surprise:.2f}"
    ),
    "position t": "位置 t",
    # --- lstm widgets: 10 lstm explorer -------------------------------------------------------------------
    r"vanilla $\|dh_{T-1}/dh_t\|$": r"普通 RNN $\|dh_{T-1}/dh_t\|$",
    r"LSTM cell path $\|dc_{T-1}/dc_t\|$": r"LSTM 记忆元通路 $\|dc_{T-1}/dc_t\|$",
    "median norm (log scale)": "范数的中位数 (对数刻度)",
    "Gradient against the lag, at initialisation": "初始化时梯度随滞后的变化",
    "vanilla": "普通 RNN",
    "delay $k$ of the echo task": "回声任务的延迟 $k$",
    "accuracy after training": "训练后的准确率",
    "What each cell learns (0.5 = guessing)": "每种单元学到了什么（0.5 = 瞎猜）",
    "T = {steps}, $b_f$ = {bias:g}, at lag {delay}:\nvanilla {vanilla:.1e}, LSTM {lstm:.1e}": (
        "T = {steps}，$b_f$ = {bias:g}，滞后 {delay} 处：\n普通 RNN {vanilla:.1e}，LSTM {lstm:.1e}"
    ),
    (
        "T = {steps}, delay {delay}, {seeds} seeds:\n"
        "vanilla {vanilla:.2f} ± {vanilla_spread:.2f}, LSTM {lstm:.2f} ± {lstm_spread:.2f}"
    ): (
        "T = {steps}，延迟 {delay}，{seeds} 个随机种子：\n"
        "普通 RNN {vanilla:.2f} ± {vanilla_spread:.2f}，LSTM {lstm:.2f} ± {lstm_spread:.2f}"
    ),
    "forget-gate bias b_f": "遗忘门偏置 b_f",
    "delay k": "延迟 k",
    # the notebooks' own figures (05, 06, 07, 09, 10)
    "sine, learning rate 0.01": "正弦，学习率 0.01",
    "noise floor 0.025": "噪声下限 0.025",
    "trained from seed {k}": "初始种子 {k}",
    "noise floor $\\frac{1}{2} \\cdot 0.05^2$": "噪声下限 $\\frac{1}{2} \\cdot 0.05^2$",
    "loss at step $t$ (new sequences)": "第 $t$ 步的损失 (新序列)",
    "sine": "正弦",
    "echo": "回声",
    "sum": "累加和",
    "same network size, same learning rate 0.01": "同样的网络规模，同样的学习率 0.01",
    "{rate:g} (the problem's)": "{rate:g}（题目给定的）",
    "noisy sine: learning rate": "带噪声的正弦：学习率",
    "measured, $\\sigma_{{\\max}}$ = {radius}": "实测，$\\sigma_{{\\max}}$ = {radius}",
    "bound ${radius}^{{\\mathrm{{lag}}}}$": "上界 ${radius}^{{\\mathrm{{lag}}}}$",
    "$\\|dh_{T-1} / dh_t\\|$  (log scale)": "$\\|dh_{T-1} / dh_t\\|$ (对数刻度)",
    "Below 1 the gradient must vanish; above 1 it may grow": "小于 1 时梯度必然消失；大于 1 时梯度可能增长",
    "delay 5": "延迟 5",
    "$h_t$: filled $x_{t-3} = +1$, hollow $x_{t-3} = -1$": (
        "$h_t$：实心为 $x_{t-3} = +1$，空心为 $x_{t-3} = -1$"
    ),
    "$h_t$ before training": "训练前的 $h_t$",
    "$h_t$ after training": "训练后的 $h_t$",
    "$h$ (tanh: $-1$ to $1$)": "$h$ (tanh：$-1$ 到 $1$)",
    "problem's init, full BPTT": "题目给定的初始权重，完整 BPTT",
    "radius 1, full BPTT": "谱半径 1，完整 BPTT",
    "radius 1, truncated at 4 steps": "谱半径 1，截断为 4 步",
    "Echo task: mean of 3 seeds, band = lowest to highest": "回声任务：3 个种子的平均，阴影带 = 最低到最高",
    "truncation length 4": "截断长度 4",
    "uniform guess, $\\ln V$": "均匀分布，$\\ln V$",
    "update": "更新次数",
    "cross-entropy (nats per character)": "每个字符的交叉熵 (奈特)",
    "training loss (clipped at norm 1)": "训练损失（按范数裁剪到 1）",
    "no clipping (diverges)": "不裁剪（发散）",
    "clipped at 1": "裁剪到 1",
    "threshold 1": "阈值 1",
    "$\\Vert g \\Vert$ before clipping": "裁剪前的 $\\Vert g \\Vert$",
    "gradient norm, learning rate 2": "梯度范数，学习率 2",
    "teacher forcing (reads the truth)": "教师强制（读入真实文本）",
    "free running (reads its samples)": "自由运行（读入自己的采样）",
    "steps $j$ after the true prefix": "真实前缀之后的第 $j$ 步",
    "$-\\ln p$ of the true character (nats)": "真实字符的 $-\\ln p$ (奈特)",
    "loss on the true text, mean of 64 windows": "真实文本上的损失，64 个窗口的平均",
    "how far the free run's state drifts": "自由运行的状态偏离了多远",
    "vanilla RNN $\\|dh_{T-1}/dh_t\\|$": "普通 RNN $\\|dh_{T-1}/dh_t\\|$",
    "LSTM ($b_f = 1$) $\\|dh_{T-1}/dh_t\\|$": "LSTM（$b_f = 1$）$\\|dh_{T-1}/dh_t\\|$",
    "At initialisation, on the same inputs": "初始化时，在同样的输入上",
    "vanilla RNN": "普通 RNN",
    "LSTM $b_f = {bias}$: $\\|dh_{{T-1}}/dh_t\\|$": "LSTM $b_f = {bias}$：$\\|dh_{{T-1}}/dh_t\\|$",
    "LSTM $b_f = {bias}$: cell path": "LSTM $b_f = {bias}$：记忆元通路",
    "LSTM, $b_f = 0$": "LSTM，$b_f = 0$",
    "LSTM, $b_f = 1$": "LSTM，$b_f = 1$",
    "LSTM, $b_f = 2$": "LSTM，$b_f = 2$",
    "plain SGD (memory.SWEEP_BUDGET)": "普通 SGD（memory.SWEEP_BUDGET）",
    "Adam, clip 1": "Adam，按范数裁剪到 1",
    "Same start, {title}": "同样的起点，{title}",
    "vanilla RNN from $\\mathcal{N}(0, 0.01^2)$": "普通 RNN，从 $\\mathcal{N}(0, 0.01^2)$ 权重开始",
}
