// The accelerator's sequencer, data mover, accumulator buffers and code gather
// (docs/ACCELERATOR.md sections 1-4, docs/ISA.md). Generated for one HwConfig: every
// placeholder below is filled by the generator in `sequencer.rs`. With batch B there is one
// vector unit, accumulator buffer and code buffer per sequence: GEMV runs once for all of them,
// element-wise operations and DEQUANT are issued to every vector unit at once, LOADG and a
// LOADV of stride 0 write every register file at once, and every other instruction runs once
// per sequence in turn (`cur_seq`) with that sequence's addresses.
// Fields of the header and of instruction words the sequencer does not use, and derived
// parameters kept for readability, are declared whole: waived below.
/* verilator lint_off UNUSEDSIGNAL */
/* verilator lint_off UNUSEDPARAM */
module $MOD$ (
    input  wire            clock,
    input  wire            reset,
    // ap_ctrl_hs
    input  wire            start,
    output reg             done,
    output wire            idle,
    input  wire [63:0]     data_base,
    input  wire [31:0]     dbg_ctrl,
    // data-bank read master
    output reg             rd_cmd_valid,
    input  wire            rd_cmd_ready,
    output reg  [63:0]     rd_cmd_addr,
    output reg  [31:0]     rd_cmd_len,
    input  wire            rd_out_valid,
    output wire            rd_out_ready,
    input  wire [$DW$-1:0] rd_out_data,
    input  wire            rd_error,
    // data-bank write master
    output reg             wr_cmd_valid,
    input  wire            wr_cmd_ready,
    output reg  [63:0]     wr_cmd_addr,
    output reg  [31:0]     wr_cmd_len,
    output reg             wr_in_valid,
    input  wire            wr_in_ready,
    output reg  [$DW$-1:0] wr_in_data,
    input  wire            wr_done,
    input  wire            wr_error,
    // weight streamers (one command, every port)
    output wire            w_cmd_valid,
    input  wire [$P$-1:0]  w_cmd_ready,
    output reg  [31:0]     w_cmd_offset,
    output reg  [31:0]     w_cmd_len,
    input  wire [$P$-1:0]  w_error,
    // engines
    output reg             eng_start,
    output reg  [$COLSB$-1:0] eng_cols,
    output reg  [$ROWSB$-1:0] eng_rows,
    input  wire [$P$-1:0]  eng_busy,
    output reg             cb_write,
    output reg  [$SB$-1:0] cb_seq,
    output reg  [$CBA$-1:0] cb_addr,
    output reg  [$K8$-1:0] cb_data,
    input  wire [$P$-1:0]  acc_valid,
    output wire [$P$-1:0]  acc_ready,
    input  wire [$P$*$B$*$ACCW$-1:0] acc_data,
    // vector units, one per sequence: the command fields and the register-port address are
    // shared, the strobes are per unit and the read data is unit b's in bits [b*width +: width]
    output wire [$B$-1:0]  v_cmd_valid,
    input  wire [$B$-1:0]  v_cmd_ready,
    output reg  [7:0]      v_cmd_op,
    output reg  [3:0]      v_cmd_vd,
    output reg  [3:0]      v_cmd_va,
    output reg  [3:0]      v_cmd_vb,
    output reg  [31:0]     v_cmd_len,
    output reg  [31:0]     v_cmd_imm0,
    output reg  [31:0]     v_cmd_imm1,
    input  wire [$B$-1:0]  v_done,
    input  wire [$B$-1:0]  v_error,
    output wire [$B$-1:0]  v_ext_write,
    output reg  [3:0]      v_ext_write_reg,
    output reg  [$RA$-1:0] v_ext_write_row,
    output reg  [$DW$-1:0] v_ext_write_data,
    output wire [$B$-1:0]  v_ext_exp_write,
    output reg  [31:0]     v_ext_exp_data,
    output wire [3:0]      v_ext_read_reg,
    output wire [$RA$-1:0] v_ext_read_row,
    input  wire [$B$*$DW$-1:0] v_ext_read_data,
    input  wire [$B$*32-1:0] v_ext_read_exp,
    input  wire [$B$-1:0]  v_code_valid,
    input  wire [$B$*32-1:0] v_code_address,
    input  wire [$B$*$L8$-1:0] v_code_data,
    input  wire [$B$-1:0]  v_acc_read_enable,
    input  wire [$B$*32-1:0] v_acc_read_address,
    output wire [$B$*$DW$-1:0] v_acc_read_data,
    input  wire [$B$*32-1:0] v_sigma_m,
    input  wire [$B$*32-1:0] v_sigma_e,
    input  wire [$B$*32-1:0] v_argmax_index,
    // debug window (simulation only)
    input  wire [3:0]      dbg_seq,
    input  wire [3:0]      dbg_sel,
    input  wire [3:0]      dbg_reg,
    input  wire [31:0]     dbg_addr,
    output reg  [$DW$-1:0] dbg_data,
    output wire [31:0]     dbg_pc,
    output wire [7:0]      dbg_fault,
    output wire            dbg_paused,
    output wire            dbg_running,
    output wire [5:0]      dbg_state
);
$OPCODES$
    localparam [5:0] S_IDLE = 6'd0, S_HDR_CMD = 6'd1, S_HDR = 6'd2, S_PROG_CMD = 6'd3, S_PROG = 6'd4,
        S_TOK_CMD = 6'd5, S_TOK = 6'd6, S_FETCH = 6'd7, S_FETCH2 = 6'd8, S_EXEC = 6'd9,
        S_LD_CMD = 6'd10, S_LD = 6'd11, S_LD_EXP = 6'd12, S_ST_CMD = 6'd13, S_ST_BEAT = 6'd14,
        S_ST_PUSH = 6'd15, S_ST_WAIT = 6'd16, S_V_ISSUE = 6'd17, S_V_WAIT = 6'd18, S_QFLUSH = 6'd19,
        S_G_DIV = 6'd20, S_G_CMD = 6'd21, S_G_RUN = 6'd22, S_G_DRAIN = 6'd23, S_AM_RD_CMD = 6'd24,
        S_AM_RD = 6'd25, S_AM_WR_CMD = 6'd26, S_AM_PUSH = 6'd27, S_NEXT = 6'd28, S_PAUSED = 6'd29,
        S_FINISH = 6'd30, S_ADDR = 6'd31, S_G_MUL = 6'd32, S_SEQ = 6'd33;
    localparam [7:0] F_NONE = 8'd0, F_OPCODE = 8'd1, F_LEN = 8'd2, F_ALIGN = 8'd3, F_BOUNDS = 8'd4,
        F_TOKEN = 8'd5, F_VPU = 8'd6, F_GEMV = 8'd7, F_PROGRAM = 8'd8, F_NO_END = 8'd9, F_AXI = 8'd10,
        F_HEADER = 8'd11;
    localparam integer L = $L$;
    localparam integer LB = $LB$;
    localparam integer DWB = $DWB$;
    localparam integer HEAD_BEATS = $HEAD_BEATS$;
    localparam integer IPB = $IPB$;
    localparam integer IMEM_ROWS = $IMEM_ROWS$;
    localparam integer IAB = $IAB$;
    localparam integer ACC_DEPTH = $ACC_DEPTH$;
    localparam integer AAB = $AAB$;
    localparam integer CODE_ROWS = $CODE_ROWS$;
    localparam integer CRB = $CRB$;
    localparam integer K = $K$;
    localparam integer GB = $GB$;
    localparam integer B = $B$;
    localparam integer SB = $SB$;
    localparam integer TOKW = $TOKW$;

    reg [5:0]  state;
    reg [7:0]  fault;
    reg [31:0] pc;
    reg        step_mode;
    // header
    reg [511:0] hdr;
    reg [31:0]  hdr_beats;
    wire [31:0] h_vocab = hdr[32*5 +: 32];
    wire [31:0] h_prog = hdr[32*6 +: 32];
    wire [31:0] h_prog_len = hdr[32*7 +: 32];
    wire [31:0] h_tokens = hdr[32*8 +: 32];
    wire [31:0] h_bytes = hdr[32*10 +: 32];
    // token slots: the beats holding the B slots, and sequence cur_seq's token
    reg [TOKW-1:0] toks;
    reg [31:0]  tok_i;
    wire [31:0] tok_beats = ((h_tokens & (DWB - 1)) + 4 * B + DWB - 1) >> $ALIGN_LO$;
    wire [31:0] tok_word = ((h_tokens & (DWB - 1)) >> 2) + {{(32-SB){1'b0}}, cur_seq};
    wire [31:0] token = toks[32*tok_word +: 32];
    // instruction memory
    reg [$DW$-1:0] imem [0:IMEM_ROWS-1];
    reg [31:0]     imem_wa;
    reg [$DW$-1:0] imem_q;
    reg [127:0]    instr;
    wire [7:0]  op = instr[7:0];
    wire [3:0]  f_vd = instr[11:8];
    wire [3:0]  f_va = instr[19:16];
    wire [3:0]  f_vb = instr[27:24];
    wire [31:0] f_len = instr[63:32];
    wire [31:0] f_w2 = instr[95:64];
    wire [31:0] f_w3 = instr[127:96];
    // mover
    reg [63:0] addr;       // byte offset of the transfer in the data bank
    reg [63:0] span_end;   // one past its last byte
    reg [31:0] beats;      // beats of the transfer
    reg [31:0] bi;         // beat index
    reg [31:0] nrows;      // register rows of the transfer
    reg [31:0] exp_l;      // exponent latched from the first beat
    reg        head_exp;   // the transfer has a 64-byte head
    reg        src_acc;    // a store reads the accumulators (STOREACC)
    reg [1:0]  wait_c;
    reg [31:0] row;
    wire [31:0] row_i = bi - HEAD_BEATS;
    wire [31:0] lrow = head_exp ? row_i : bi;
    reg [31:0] codes_len;
    // sequences: the one an in-turn instruction is serving, and the one the mover and the
    // debug window read (the debug select while stopped)
    reg [SB-1:0] cur_seq;
    wire [SB-1:0] rsel = idle ? dbg_seq[SB-1:0] : cur_seq;
    wire [63:0] seq_ext = {{(64-SB){1'b0}}, cur_seq};
    wire [63:0] seq_addr = {32'd0, f_w2} + seq_ext * {32'd0, f_w3};
    // instructions done once for every sequence, and the register files a load writes
    wire is_vec = $IS_VEC$;
    wire bcast = (op == OP_LOADG) || (op == OP_LOADV && f_w3 == 0);
    wire par = is_vec || (op == OP_DEQUANT);
    wire once = bcast || par || (op == OP_GEMV);
    reg [B-1:0] wmask, v_mask, v_seen, v_err;
    reg ext_w, ext_exp_w, v_issue;
    assign v_ext_write = ext_w ? wmask : $B$'d0;
    assign v_ext_exp_write = ext_exp_w ? wmask : $B$'d0;
    wire v_ready_all = &(v_cmd_ready | ~v_mask);
    assign v_cmd_valid = (v_issue && v_ready_all) ? v_mask : $B$'d0;
    wire [B-1:0] v_fin = v_seen | (v_done & v_mask);
    wire [B-1:0] v_bad = v_err | (v_done & v_error & v_mask);
    // the selected unit's outputs
    wire [$DW$-1:0] sel_read_data = v_ext_read_data[rsel*$DW$ +: $DW$];
    wire [31:0] sel_read_exp = v_ext_read_exp[rsel*32 +: 32];
    wire [31:0] sel_sigma_m = v_sigma_m[rsel*32 +: 32];
    wire [31:0] sel_sigma_e = v_sigma_e[rsel*32 +: 32];
    wire [31:0] sel_argmax = v_argmax_index[cur_seq*32 +: 32];
    wire sel_code_valid = v_code_valid[cur_seq];
    wire [31:0] sel_code_address = v_code_address[cur_seq*32 +: 32];
    wire [$L8$-1:0] sel_code_data = v_code_data[cur_seq*$L8$ +: $L8$];
    // accumulators
    reg [31:0] g_rows, g_cols, g_bpr, g_rem, g_rowsp, g_total, g_r, acc_valid_rows;
    // codes (a copy for the debug window: sequence s's row r at {s, r})
    reg [$L8$-1:0] code_mem [0:(1 << (SB + CRB))-1];
    reg [GB-1:0] gbuf;
    reg [31:0]   gfill;
    reg [31:0]   gword;
    reg [$L8$-1:0] code_q, code_q2;
    wire [31:0] code_row_w = sel_code_address >> LB;
    // argmax
    reg [31:0]   am_index;
    reg [$DW$-1:0] am_beat;

    assign idle = (state == S_IDLE) || (state == S_PAUSED);
    assign dbg_pc = pc;
    assign dbg_fault = fault;
    assign dbg_paused = (state == S_PAUSED);
    assign dbg_running = !idle;
    assign dbg_state = state;
    assign w_cmd_valid = (state == S_G_CMD) && (&w_cmd_ready);
    assign rd_out_ready = (state == S_HDR) || (state == S_PROG) || (state == S_TOK) || (state == S_LD)
        || (state == S_AM_RD);

    // Register-file read port: the store mover while running, the debug window otherwise.
    wire mover_reads = (state == S_ST_BEAT) || (state == S_ST_PUSH);
    assign v_ext_read_reg = mover_reads ? v_cmd_va : dbg_reg;
    assign v_ext_read_row = mover_reads ? row[$RA$-1:0] : dbg_addr[$RA$-1:0];

    // Collector: engine p's k-th row is row k*P + p; its B sums go to the B buffers.
    wire [$LOGP1$-1:0] g_p = $GP$;
    wire take = (state == S_G_RUN) && acc_valid[g_p] && (g_r < g_total);
    assign acc_ready = take ? ($P$'d1 << g_p) : $P$'d0;
    wire [31:0] g_r_row = g_r >> LB;

    // Accumulator buffers, one per sequence: L banks of 32-bit words, element r in bank r mod L
    // at r / L; a read of element address a (any a: DEQUANT's `first`) returns acc[a .. a + L]
    // two cycles later (the vector unit's acc_latency): each bank reads its element of the
    // window, then the words are rotated into place. The mover and the debug window read every
    // buffer at their address and take the selected sequence's row; while an instruction runs,
    // each vector unit reads its own buffer.
    wire [31:0] acc_shared_elem = mover_reads ? (row << LB) : (dbg_addr << LB);
    wire acc_shared = mover_reads || idle;
    wire [$B$*$DW$-1:0] acc_q2_all;
$ACC_BUF$    wire [$DW$-1:0] acc_q2 = acc_q2_all[rsel*$DW$ +: $DW$];
    assign v_acc_read_data = acc_q2_all;

    // Code gather: rows of L codes from QUANT into K-code words for every engine's buffer, and a
    // copy of every row for the debug window.
    wire [GB-1:0] g_merged = gbuf | ({{(GB-$L8$){1'b0}}, sel_code_data} << (gfill * 8));
    always @(posedge clock) begin
        code_q <= code_mem[{dbg_seq[SB-1:0], dbg_addr[CRB-1:0]}];
        code_q2 <= code_q;
        if (sel_code_valid)
            code_mem[{cur_seq, code_row_w[CRB-1:0]}] <= sel_code_data;
    end

    // Debug window: one registered read, data two or three cycles after the select.
    reg [3:0] dbg_sel_q, dbg_sel_q2;
    reg [$DW$-1:0] dbg_mux;
    always @(*) begin
        dbg_mux = 0;
        case (dbg_sel_q2)
            4'd0: dbg_mux = sel_read_data;
            4'd1: dbg_mux[31:0] = sel_read_exp;
            4'd2: dbg_mux = acc_q2;
            4'd3: dbg_mux[$L8$-1:0] = code_q2;
            4'd4: begin dbg_mux[31:0] = sel_sigma_m; dbg_mux[63:32] = sel_sigma_e; end
            4'd5: begin dbg_mux[31:0] = pc; dbg_mux[39:32] = fault; end
            default: dbg_mux = 0;
        endcase
    end
    always @(posedge clock) begin
        dbg_sel_q <= dbg_sel;
        dbg_sel_q2 <= dbg_sel_q;
        dbg_data <= dbg_mux;
    end

    // Tail mask of register row `row_i`: lanes at or beyond `len` read as zero.
    function [$DW$-1:0] mask_row(input [$DW$-1:0] d, input [31:0] r, input [31:0] len);
        integer j;
        begin
            mask_row = d;
            for (j = 0; j < L; j = j + 1)
                if ((r << LB) + j >= len) mask_row[32*j +: 32] = 32'd0;
        end
    endfunction

    wire [63:0] abs_addr = data_base + addr;

    always @(posedge clock) begin
        imem_q <= imem[pc[$IPC_HI$:$IPC_LO$]];
        if (reset) begin
            state <= S_IDLE; fault <= F_NONE; pc <= 0; done <= 0;
            rd_cmd_valid <= 0; wr_cmd_valid <= 0; wr_in_valid <= 0; eng_start <= 0; cb_write <= 0;
            v_issue <= 0; ext_w <= 0; ext_exp_w <= 0; gfill <= 0; gbuf <= 0;
            gword <= 0; g_r <= 0; step_mode <= 0; cur_seq <= 0; cb_seq <= 0;
        end else begin
            done <= 0;
            eng_start <= 0;
            cb_write <= 0;
            ext_w <= 0;
            ext_exp_w <= 0;
            if (sel_code_valid) begin
                if (gfill + L >= K) begin
                    cb_write <= 1; cb_seq <= cur_seq; cb_addr <= gword[$CBA$-1:0]; cb_data <= g_merged[$K8$-1:0];
                    gbuf <= g_merged >> $K8$; gfill <= gfill + L - K; gword <= gword + 1;
                end else begin
                    gbuf <= g_merged; gfill <= gfill + L;
                end
            end
            if (take) g_r <= g_r + 1;
            case (state)
            S_IDLE, S_PAUSED: if (start && !done) begin
                step_mode <= dbg_ctrl[0];
                cur_seq <= 0;
                if (state == S_PAUSED) state <= S_FETCH;
                else begin
                    fault <= F_NONE; pc <= 0; hdr_beats <= 0; acc_valid_rows <= 0; codes_len <= 0;
                    state <= S_HDR_CMD;
                end
            end
            S_HDR_CMD: begin
                rd_cmd_valid <= 1; rd_cmd_addr <= data_base; rd_cmd_len <= HEAD_BEATS;
                if (rd_cmd_valid && rd_cmd_ready) begin rd_cmd_valid <= 0; state <= S_HDR; end
            end
            S_HDR: if (rd_out_valid) begin
$HDR_SHIFT$
                hdr_beats <= hdr_beats + 1;
                if (hdr_beats + 1 == HEAD_BEATS) state <= S_PROG_CMD;
            end
            S_PROG_CMD: begin
                if (h_prog_len > IMEM_ROWS * IPB) begin fault <= F_PROGRAM; state <= S_FINISH; end
                else if (h_prog[$ALIGN_HI$:0] != 0) begin fault <= F_HEADER; state <= S_FINISH; end
                else begin
                    rd_cmd_valid <= 1; rd_cmd_addr <= data_base + {32'd0, h_prog};
                    rd_cmd_len <= (h_prog_len + IPB - 1) / IPB;
                    imem_wa <= 0;
                    if (rd_cmd_valid && rd_cmd_ready) begin
                        rd_cmd_valid <= 0;
                        state <= (h_prog_len == 0) ? S_TOK_CMD : S_PROG;
                    end
                end
            end
            S_PROG: if (rd_out_valid) begin
                imem[imem_wa[IAB-1:0]] <= rd_out_data;
                imem_wa <= imem_wa + 1;
                if (imem_wa + 1 == (h_prog_len + IPB - 1) / IPB) state <= S_TOK_CMD;
            end
            S_TOK_CMD: begin
                rd_cmd_valid <= 1; rd_cmd_addr <= data_base + {32'd0, h_tokens[31:$ALIGN_LO$], $ALIGN_Z$};
                rd_cmd_len <= tok_beats; tok_i <= 0;
                if (rd_cmd_valid && rd_cmd_ready) begin rd_cmd_valid <= 0; state <= S_TOK; end
            end
            S_TOK: if (rd_out_valid) begin
                toks[tok_i*$DW$ +: $DW$] <= rd_out_data;
                tok_i <= tok_i + 1;
                if (tok_i + 1 == tok_beats) state <= S_FETCH;
            end
            S_FETCH: begin
                if (pc >= h_prog_len) begin fault <= F_NO_END; state <= S_FINISH; end
                else state <= S_FETCH2;
            end
            S_FETCH2: begin
                // imem_q holds the row of pc (read at the previous edge)
                instr <= imem_q[128*$IPC_SLOT$ +: 128];
                state <= S_EXEC;
            end
            S_EXEC: begin
                if (op == OP_END) state <= S_FINISH;
                else if ((op == OP_LOADV || op == OP_STOREV || op == OP_LOADG || op == OP_EMBED
                          || is_vec || op == OP_QUANT || op == OP_DEQUANT) && f_len > $VW$) begin
                    fault <= F_LEN; state <= S_FINISH;
                end else if (op == OP_LOADV || op == OP_EMBED || op == OP_LOADG || op == OP_STOREV) begin
                    head_exp <= (op != OP_LOADG);
                    nrows <= (f_len + L - 1) >> LB;
                    src_acc <= 0;
                    wmask <= bcast ? {B{1'b1}} : ($B$'d1 << cur_seq);
                    if (op == OP_EMBED) begin
                        if (token >= h_vocab) begin fault <= F_TOKEN; state <= S_FINISH; end
                        else begin addr <= {32'd0, f_w2} + {32'd0, token} * {32'd0, f_w3}; state <= S_ADDR; end
                    end else if (op == OP_LOADG) begin
                        addr <= {32'd0, f_w2}; state <= S_ADDR;
                    end else begin
                        addr <= seq_addr; state <= S_ADDR;
                    end
                    span_end <= ((op == OP_LOADG) ? {32'd0, f_w2} : seq_addr + 64'd64) + {30'd0, f_len, 2'd0};
                end else if (op == OP_STOREACC) begin
                    head_exp <= 1; src_acc <= 1;
                    nrows <= (f_len + L - 1) >> LB;
                    if (f_len > acc_valid_rows) begin fault <= F_GEMV; state <= S_FINISH; end
                    else begin
                        addr <= seq_addr; state <= S_ADDR;
                        span_end <= seq_addr + 64'd64 + {30'd0, f_len, 2'd0};
                    end
                end else if (op == OP_GEMV) begin
                    if (f_w3 > $ACC_ROWS$ || f_len > $VW$ || f_len > codes_len) begin fault <= F_GEMV; state <= S_FINISH; end
                    else begin
                        g_cols <= f_len; g_rows <= f_w3; g_rem <= f_len; g_bpr <= 0;
                        g_rowsp <= (f_w3 + $P$ - 1) >> $LOGP$;
                        state <= S_G_DIV;
                    end
                end else if (is_vec || op == OP_QUANT || op == OP_DEQUANT || op == OP_ARGMAX) begin
                    if ((op == OP_DEQUANT && f_w3 > acc_valid_rows) || (op == OP_ARGMAX && f_len > acc_valid_rows)) begin
                        fault <= F_GEMV; state <= S_FINISH;
                    end else begin
                        v_cmd_op <= op; v_cmd_vd <= f_vd; v_cmd_va <= f_va; v_cmd_vb <= f_vb;
                        v_mask <= par ? {B{1'b1}} : ($B$'d1 << cur_seq);
                        v_cmd_len <= f_len; v_cmd_imm0 <= f_w2; v_cmd_imm1 <= f_w3;
                        if (op == OP_QUANT) begin gfill <= 0; gbuf <= 0; gword <= 0; codes_len <= f_len; end
                        state <= S_V_ISSUE;
                    end
                end else begin
                    fault <= F_OPCODE; state <= S_FINISH;
                end
            end
            S_ADDR: begin
                // every mover transfer: aligned, inside the bank
                if (op == OP_EMBED) span_end <= addr + 64'd64 + {30'd0, f_len, 2'd0};
                if (addr[$ALIGN_HI$:0] != 0) begin fault <= F_ALIGN; state <= S_FINISH; end
                else begin
                    beats <= (head_exp ? HEAD_BEATS : 0) + ((f_len + L - 1) >> LB);
                    bi <= 0;
                    state <= (op == OP_STOREV || op == OP_STOREACC) ? S_ST_CMD : S_LD_CMD;
                end
            end
            S_LD_CMD: begin
                if (span_end > {32'd0, h_bytes}) begin fault <= F_BOUNDS; state <= S_FINISH; end
                else begin
                    rd_cmd_valid <= 1; rd_cmd_addr <= abs_addr; rd_cmd_len <= beats;
                    if (rd_cmd_valid && rd_cmd_ready) begin
                        rd_cmd_valid <= 0; state <= (beats == 0) ? S_LD_EXP : S_LD;
                    end
                end
            end
            S_LD: if (rd_out_valid) begin
                if (head_exp && bi < HEAD_BEATS) begin
                    if (bi == 0) exp_l <= rd_out_data[31:0];
                end else begin
                    ext_w <= 1; v_ext_write_reg <= f_vd; v_ext_write_row <= lrow[$RA$-1:0];
                    v_ext_write_data <= mask_row(rd_out_data, lrow, f_len);
                end
                bi <= bi + 1;
                if (bi + 1 == beats) state <= S_LD_EXP;
            end
            S_LD_EXP: begin
                ext_exp_w <= 1; v_ext_write_reg <= f_vd;
                v_ext_exp_data <= head_exp ? exp_l : 32'd0;
                state <= S_SEQ;
            end
            S_ST_CMD: begin
                if (span_end > {32'd0, h_bytes}) begin fault <= F_BOUNDS; state <= S_FINISH; end
                else begin
                    wr_cmd_valid <= 1; wr_cmd_addr <= abs_addr; wr_cmd_len <= beats;
                    v_cmd_va <= f_va;
                    if (wr_cmd_valid && wr_cmd_ready) begin
                        wr_cmd_valid <= 0; state <= S_ST_BEAT; wait_c <= 0; row <= 0;
                    end
                end
            end
            S_ST_BEAT: begin
                // head beats from the exponent or sigma, then rows read with a two-cycle latency
                if (bi < HEAD_BEATS) begin
                    wr_in_data <= 0;
                    if (bi == 0) begin
                        if (src_acc) begin wr_in_data[31:0] <= sel_sigma_m; wr_in_data[63:32] <= sel_sigma_e; end
                        else wr_in_data[31:0] <= sel_read_exp;
                    end
                    wr_in_valid <= 1; state <= S_ST_PUSH;
                end else begin
                    row <= row_i;
                    wait_c <= wait_c + 1;
                    if (wait_c == 2'd3) begin
                        wr_in_data <= mask_row(src_acc ? acc_q2 : sel_read_data, row_i, f_len);
                        wr_in_valid <= 1; wait_c <= 0; state <= S_ST_PUSH;
                    end
                end
            end
            S_ST_PUSH: if (wr_in_valid && wr_in_ready) begin
                wr_in_valid <= 0;
                bi <= bi + 1;
                row <= bi + 1 - HEAD_BEATS;
                state <= (bi + 1 == beats) ? S_ST_WAIT : S_ST_BEAT;
            end
            S_ST_WAIT: if (wr_done) state <= S_SEQ;
            S_V_ISSUE: begin
                // every unit of the mask takes the command at the same edge
                v_issue <= 1; v_seen <= 0; v_err <= 0;
                if (v_issue && v_ready_all) begin v_issue <= 0; state <= S_V_WAIT; end
            end
            S_V_WAIT: begin
                v_seen <= v_fin; v_err <= v_bad;
                if (v_fin == v_mask) begin
                    if (v_bad != 0) begin fault <= F_VPU; state <= S_FINISH; end
                    else if (op == OP_QUANT) state <= S_QFLUSH;
                    else if (op == OP_ARGMAX) begin
                        am_index <= sel_argmax;
                        addr <= {32'd0, f_w2} + (seq_ext << 2);
                        state <= S_AM_RD_CMD;
                    end else state <= S_SEQ;
                end
            end
            S_QFLUSH: begin
                if (gfill != 0) begin
                    cb_write <= 1; cb_seq <= cur_seq; cb_addr <= gword[$CBA$-1:0]; cb_data <= gbuf[$K8$-1:0];
                    gbuf <= 0; gfill <= 0; gword <= gword + 1;
                end
                state <= S_SEQ;
            end
            S_G_DIV: begin
                // beats per row = ceil(cols / K) by repeated subtraction
                if (g_rem == 0) state <= S_G_MUL;
                else begin
                    g_bpr <= g_bpr + 1;
                    g_rem <= (g_rem > K) ? g_rem - K : 0;
                end
            end
            S_G_MUL: begin
                g_total <= g_rowsp * $P$;
                w_cmd_offset <= f_w2;
                w_cmd_len <= g_rowsp * g_bpr;
                g_r <= 0;
                eng_cols <= g_cols[$COLSB$-1:0];
                eng_rows <= g_rowsp[$ROWSB$-1:0];
                state <= S_G_CMD;
            end
            S_G_CMD: if (&w_cmd_ready) begin
                eng_start <= (g_rowsp != 0);
                state <= S_G_RUN;
            end
            S_G_RUN: if (g_r == g_total) state <= S_G_DRAIN;
            S_G_DRAIN: if (eng_busy == 0 && !eng_start) begin
                acc_valid_rows <= g_rows;
                state <= S_SEQ;
            end
            S_AM_RD_CMD: begin
                if (addr[1:0] != 0) begin fault <= F_ALIGN; state <= S_FINISH; end
                else if (addr + 4 > {32'd0, h_bytes}) begin fault <= F_BOUNDS; state <= S_FINISH; end
                else begin
                    rd_cmd_valid <= 1; rd_cmd_addr <= data_base + {addr[63:$ALIGN_LO$], $ALIGN_Z$}; rd_cmd_len <= 1;
                    if (rd_cmd_valid && rd_cmd_ready) begin rd_cmd_valid <= 0; state <= S_AM_RD; end
                end
            end
            S_AM_RD: if (rd_out_valid) begin
                am_beat <= rd_out_data;
                am_beat[32*addr[$ALIGN_HI$:2] +: 32] <= am_index;
                state <= S_AM_WR_CMD;
            end
            S_AM_WR_CMD: begin
                wr_cmd_valid <= 1; wr_cmd_addr <= data_base + {addr[63:$ALIGN_LO$], $ALIGN_Z$}; wr_cmd_len <= 1;
                if (wr_cmd_valid && wr_cmd_ready) begin
                    wr_cmd_valid <= 0; wr_in_valid <= 1; wr_in_data <= am_beat; state <= S_AM_PUSH;
                end
            end
            S_AM_PUSH: if (wr_in_valid && wr_in_ready) begin wr_in_valid <= 0; state <= S_ST_WAIT; end
            S_SEQ: begin
                // the next sequence of an in-turn instruction, or the next instruction
                if (!once && cur_seq != $LAST_SEQ$) begin cur_seq <= cur_seq + 1'b1; state <= S_EXEC; end
                else state <= S_NEXT;
            end
            S_NEXT: begin
                if (rd_error || wr_error || (|w_error)) begin fault <= F_AXI; state <= S_FINISH; end
                else begin
                    pc <= pc + 1; cur_seq <= 0;
                    if (step_mode) begin done <= 1; state <= S_PAUSED; end
                    else state <= S_FETCH;
                end
            end
            S_FINISH: begin done <= 1; state <= S_IDLE; end
            default: state <= S_IDLE;
            endcase
        end
    end
endmodule
/* verilator lint_on UNUSEDPARAM */
/* verilator lint_on UNUSEDSIGNAL */
